package jvpp.core.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * What a root test builds on the host: network namespaces and links under names unique to this fixture
 * ({@code jv<tag><suffix>}, so a leftover is easy to spot with {@code ip link | grep jv}), made with iproute2
 * (tests may use it; jvpp itself uses rtnetlink), and background commands. {@link #close()} ends the
 * commands it started and removes what it owns in reverse order, whatever happened and whoever created it:
 * call it from {@code @AfterEach} or use try-with-resources. Traffic stays between the namespaces and links it
 * made, on private addresses. Mark the test {@link RequiresRoot}.
 *
 * <p>One test thread uses an instance; the static command helpers may be called from any thread.
 */
public final class HostNet implements AutoCloseable
{
    /** How long one host command may take before it is killed and reported. */
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    private final Deque<List<String>> undo = new ArrayDeque<>();
    private final List<Subprocess> background = new ArrayList<>();

    /**
     * A name unique to this fixture, {@code jv + tag + suffix}.
     *
     * @throws IllegalArgumentException when it would be longer than a Linux link name (15 characters)
     */
    public String name(final String tag)
    {
        final String n = "jv" + tag + suffix;
        if (n.length() > 15)
        {
            throw new IllegalArgumentException("name too long for a link: " + n);
        }
        return n;
    }

    /** Whether {@code name} was made by this fixture (for filtering what the host reports). */
    public boolean named(final String name)
    {
        return name.startsWith("jv") && name.contains(suffix);
    }

    /** A link {@link #name}, deleted on close if it exists then (whoever creates it). */
    public String link(final String tag)
    {
        final String link = name(tag);
        ownLink(link);
        return link;
    }

    /** A namespace {@link #name}, deleted on close if it exists then (whoever creates it). */
    public String netns(final String tag)
    {
        final String ns = name(tag);
        ownNamespace(ns);
        return ns;
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

    /** Create a namespace {@link #name} with lo up; deleted on close. */
    public String namespace(final String tag)
    {
        final String ns = netns(tag);
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair: {@code a} up in the root namespace (deleted on close, its peer with it), {@code b} up in {@code ns}. */
    public void veth(final String a, final String b, final String ns)
    {
        run("ip", "link", "add", a, "type", "veth", "peer", "name", b, "netns", ns);
        ownLink(a);
        run("ip", "link", "set", a, "up");
        run("ip", "-n", ns, "link", "set", b, "up");
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

    /** A private /24 such as {@code 10.201.37.} (append the host number), unlikely to meet another test's. */
    public String subnet()
    {
        final ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(200, 250) + "." + r.nextInt(1, 250) + ".";
    }

    /** Counter {@code counter} ({@code rx_packets}...) of {@code dev} in {@code ns}, as the kernel counts it. */
    public static long stat(final String ns, final String dev, final String counter)
    {
        return Long.parseLong(runIn(ns, "cat", "/sys/class/net/" + dev + "/statistics/" + counter).trim());
    }

    /** Start a command that runs beside the test (a ping stream); ended on close if still running. */
    public Subprocess start(final String... cmd)
    {
        final Subprocess p = Subprocess.start(cmd);
        background.add(p);
        return p;
    }

    /**
     * Wait up to {@code millis} for {@code done}, asking it every 50 ms; returns its last answer (the caller
     * asserts, with what it knows). For what the daemon or the kernel does in its own time.
     */
    public static boolean within(final long millis, final BooleanSupplier done) throws InterruptedException
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
        final Commands.Result r = exec(cmd);
        if (r.status() != 0)
        {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + r.status() + "): " + r.output());
        }
        return r.output();
    }

    /** Run a command; its status and output, whatever they are. */
    public static Commands.Result exec(final String... cmd)
    {
        return Commands.run(COMMAND_TIMEOUT_SECONDS, cmd);
    }

    /** Run a command in namespace {@code ns}; its status and output. */
    public static Commands.Result inNs(final String ns, final String... cmd)
    {
        return exec(inNamespace(ns, cmd));
    }

    /** Run a command that must succeed in namespace {@code ns}; returns its output. */
    public static String runIn(final String ns, final String... cmd)
    {
        return run(inNamespace(ns, cmd));
    }

    private static String[] inNamespace(final String ns, final String... cmd)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(cmd));
        return full.toArray(new String[0]);
    }

    @Override
    public void close()
    {
        // An interrupt would cut every wait below short and leave things behind: clear it, remove all, keep it.
        boolean interrupted = Thread.interrupted();
        for (final Subprocess p : background)
        {
            try
            {
                p.close();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        background.clear();
        while (!undo.isEmpty())
        {
            // Whatever fails is already gone (a veth goes with its peer's namespace): nothing to report.
            exec(undo.pop().toArray(new String[0]));
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
