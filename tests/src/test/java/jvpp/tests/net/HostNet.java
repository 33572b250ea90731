package jvpp.tests.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jvpp.core.sys.LibC;
import jvpp.core.testing.Commands;

/**
 * The host-side fixture of the end-to-end tests: network namespaces and links with names unique to the
 * test run, built with iproute2 (tests may use it; jvpp itself uses rtnetlink), and removed in reverse
 * order by {@link #close()} whatever happened — use it in try-with-resources or @AfterEach.
 *
 * <p>Needs root: {@link #requireRoot()} skips the test with a message otherwise. Traffic stays between
 * the namespaces and links it made, on private addresses.
 */
public final class HostNet implements AutoCloseable
{
    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    private final Deque<List<String>> undo = new ArrayDeque<>();

    /** Skip the calling test unless it runs as root with iproute2 and ping available. */
    public static void requireRoot()
    {
        assumeTrue(LibC.isRoot(), "needs root for network namespaces, veth and tap: run as root (CI does)");
        assumeTrue(onPath("ip") && onPath("ping"), "needs iproute2 and iputils-ping: bin/jvpp-setup installs them");
    }

    private static boolean onPath(final String cmd)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (new java.io.File(dir, cmd).canExecute())
            {
                return true;
            }
        }
        return false;
    }

    /** A name unique to this fixture: {@code prefix + tag}, at most 15 characters (a Linux link name). */
    public String name(final String prefix)
    {
        final String n = prefix + tag;
        return n.length() <= 15 ? n : n.substring(0, 15);
    }

    /** Remember to delete namespace {@code ns} on close (whoever created it). */
    public void ownNamespace(final String ns)
    {
        undo.push(List.of("ip", "netns", "del", ns));
    }

    /** Remember to delete link {@code link} (in the root namespace) on close. */
    public void ownLink(final String link)
    {
        undo.push(List.of("ip", "link", "del", link));
    }

    /** Create a namespace with lo up; deleted on close. */
    public String namespace(final String prefix)
    {
        final String ns = name(prefix);
        run("ip", "netns", "add", ns);
        ownNamespace(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /**
     * A container's veth: {@code rootEnd} up in this namespace (for jvpp to attach), its peer {@code peer} in
     * {@code ns} with {@code address} and a default route via {@code gateway}. The caller owns the link.
     */
    public static void vethInto(final String ns, final String rootEnd, final String peer, final String address,
        final String gateway)
    {
        run("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", peer, "netns", ns);
        run("ip", "link", "set", rootEnd, "up");
        run("ip", "-n", ns, "addr", "add", address, "dev", peer);
        run("ip", "-n", ns, "link", "set", peer, "up");
        run("ip", "-n", ns, "route", "add", "default", "via", gateway);
    }

    /**
     * Wait up to {@code millis} for {@code done}, asking it every 50 ms; returns its last answer (the caller
     * asserts, with what it knows). For what the daemon or the kernel does in its own time.
     */
    public static boolean within(final long millis, final java.util.function.BooleanSupplier done)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Run a command that must succeed; returns its output. */
    public static String run(final String... cmd)
    {
        final Result r = exec(cmd);
        if (r.status != 0)
        {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + r.status + "): " + r.output);
        }
        return r.output;
    }

    /** Run a command in namespace {@code ns}. */
    public static Result inNs(final String ns, final String... cmd)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(cmd));
        return exec(full.toArray(new String[0]));
    }

    /** Exit status and combined output. */
    public record Result(int status, String output)
    {
    }

    public static Result exec(final String... cmd)
    {
        final Commands.Result r = Commands.run(60, cmd);
        return new Result(r.status(), r.output());
    }

    @Override
    public void close()
    {
        while (!undo.isEmpty())
        {
            exec(undo.pop().toArray(new String[0]));
        }
    }
}
