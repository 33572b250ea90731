package jvpp.pmd.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test fixtures made with iproute2: namespaces and veth pairs with unique {@code jvp...} names, every one
 * removed by {@link #close()} (call it from {@code @AfterEach}), whatever happened. Only tests run commands;
 * product code never does.
 */
public final class NetFixture implements AutoCloseable
{
    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    private final Deque<List<String>> undo = new ArrayDeque<>();
    private final List<Process> background = new ArrayList<>();

    /** A unique name {@code jvp<tag><suffix>} of at most 15 characters. */
    public String name(final String tag)
    {
        final String n = "jvp" + tag + suffix;
        if (n.length() > 15)
        {
            throw new IllegalArgumentException("name too long: " + n);
        }
        return n;
    }

    /** A private /24 prefix such as {@code 10.201.37.} unlikely to clash with another test. */
    public String subnet()
    {
        final ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(200, 250) + "." + r.nextInt(1, 250) + ".";
    }

    public String netns(final String tag)
    {
        final String ns = name(tag);
        run("ip", "netns", "add", ns);
        undo.push(List.of("ip", "netns", "del", ns));
        return ns;
    }

    /** A veth pair {@code a} (left in the root namespace, up) and {@code b} (moved into {@code ns}, up). */
    public void veth(final String a, final String b, final String ns)
    {
        run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        undo.push(List.of("ip", "link", "del", a));
        run("ip", "link", "set", b, "netns", ns);
        run("ip", "link", "set", a, "up");
        inNs(ns, "ip", "link", "set", b, "up");
    }

    public String inNs(final String ns, final String... cmd)
    {
        final String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ns;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return run(full);
    }

    /** Start a command and do not wait for it (ping); killed by {@link #close()}. */
    public void start(final String... cmd)
    {
        try
        {
            background.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** A counter of {@code dev} in {@code ns} ({@code rx_packets}...). */
    public long stat(final String ns, final String dev, final String counter)
    {
        return Long.parseLong(inNs(ns, "cat", "/sys/class/net/" + dev + "/statistics/" + counter).trim());
    }

    public static String run(final String... cmd)
    {
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static boolean available(final String cmd)
    {
        for (final String dir : List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"))
        {
            if (new java.io.File(dir + cmd).canExecute())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        for (final Process p : background)
        {
            p.destroyForcibly();
        }
        while (!undo.isEmpty())
        {
            final List<String> cmd = undo.pop();
            try
            {
                run(cmd.toArray(new String[0]));
            }
            catch (final RuntimeException ignore)
            {
                // already gone (a veth goes with its namespace's peer)
            }
        }
    }
}
