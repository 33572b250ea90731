package jvpp.tests.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.Subprocess;

/**
 * Frames crafted with scapy, sent into a namespace's interface, and what arrives meanwhile on other namespaces'
 * interfaces, for the RFC catalogue tests: a case is frames in (scapy expressions as text, e.g.
 * {@code Ether(dst='ff:ff:ff:ff:ff:ff')/IP(src='10.10.1.2',dst='10.10.2.255')/UDP()/Raw(b'x')}), the frames
 * captured on each side out, and the {@code show errors} counter that moved (the test reads that itself).
 *
 * <p>Runs Debian's {@code python3-scapy} with {@link #PYTHON} ({@code python3} on the PATH may be another
 * Python without it): a test calls {@link #unavailable()} in an assumption so that it is skipped with that
 * reason where scapy is missing. The namespaces are the test's ({@link HostNet}); a capture ends with
 * {@link #exchange}, or on {@link Capture#close()} when the test fails first. Called from the test thread.
 */
public final class Scapy
{
    /** Debian's Python, the one {@code python3-scapy} is installed for. */
    public static final String PYTHON = "/usr/bin/python3";

    /** What a capture keeps by default: frames that arrive on the interface (not those it sends), no IPv6 noise. */
    public static final String INBOUND = "inbound and not ip6";

    /** How long frames still in flight after the last one is sent may take to arrive. */
    private static final long SETTLE_MS = 600;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    /** One line per frame: its summary, its scapy expression (every field as dissected), its bytes in hex. */
    private static final String SNIFF = """
        import signal, sys, threading
        from scapy.all import AsyncSniffer
        iface, flt = sys.argv[1], sys.argv[2]
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: done.set())
        def show(p):
            print(p.summary() + '\\t' + p.command() + '\\t' + bytes(p).hex(), flush=True)
        s = AsyncSniffer(iface=iface, filter=flt or None, prn=show, store=False,
                         started_callback=lambda: print('READY', flush=True))
        s.start()
        done.wait()
        s.stop()
        print('END', flush=True)
        """;

    /** Each argument a scapy expression, evaluated and sent in order. */
    private static final String SEND = """
        import sys
        from scapy.all import *
        frames = [eval(e) for e in sys.argv[2:]]
        sendp(frames, iface=sys.argv[1], inter=0.02, verbose=False)
        """;

    private Scapy()
    {
    }

    /** Why the catalogue cannot run here (no {@link #PYTHON}, or scapy not importable by it), or null when it can. */
    public static String unavailable()
    {
        final Commands.Result r = HostNet.exec(PYTHON, "-c", "import scapy.all");
        return r.status() == 0 ? null
            : PYTHON + " cannot import scapy (install Debian's python3-scapy: bin/jvpp-setup): " + r.output().strip();
    }

    /** An interface {@code iface} in namespace {@code ns}. */
    public record Port(String ns, String iface)
    {
    }

    /**
     * One captured frame. {@code fields} is scapy's {@code command()} of it, e.g.
     * {@code Ether(dst='..', src='..', type=2048)/IP(version=4, ..., ttl=64, proto=1, ..., src='10.10.1.1',
     * dst='10.10.1.2')/ICMP(type=3, code=0, ...)/IPerror(...)}: assert on it with {@link #has}.
     */
    public record Frame(String summary, String fields, String hex)
    {
        /** Whether the summary or the fields contain {@code text}. */
        public boolean has(final String text)
        {
            return summary.contains(text) || fields.contains(text);
        }

        /** The frame's length on the wire (without FCS). */
        public int length()
        {
            return hex.length() / 2;
        }

        @Override
        public String toString()
        {
            return summary + "  " + fields;
        }
    }

    /** A sniffer running in a namespace until {@link #stop()}; {@link #close()} ends it whatever happened. */
    public static final class Capture implements AutoCloseable
    {
        private final Port port;
        private final Subprocess sniffer;

        private Capture(final Port port, final String filter) throws InterruptedException
        {
            this.port = port;
            this.sniffer = Subprocess.start(Map.of(), List.of("ip", "netns", "exec", port.ns(), PYTHON, "-c", SNIFF,
                port.iface(), filter), null);
            final boolean ready = HostNet.within(READY_TIMEOUT.toMillis(),
                () -> sniffer.stdout().contains("READY") || !sniffer.isAlive());
            if (!ready || !sniffer.stdout().contains("READY"))
            {
                final String why = sniffer.stdout() + sniffer.stderr();
                sniffer.close();
                throw new AssertionError("sniffer on " + port + " did not start: " + why);
            }
        }

        /** Start capturing on {@code port} what {@code filter} (BPF, e.g. {@link #INBOUND}) passes; returns once it listens. */
        public static Capture start(final Port port, final String filter) throws InterruptedException
        {
            return new Capture(port, filter);
        }

        /** End the capture; the frames it saw, in order. */
        public List<Frame> stop() throws InterruptedException
        {
            // SIGTERM by its PID, not Process.destroy(): that closes the pipes, and the frames still being printed are lost.
            HostNet.exec("kill", "-TERM", Long.toString(sniffer.pid()));
            final Commands.Result r = sniffer.await(Duration.ofSeconds(10));
            if (!r.stdout().contains("END"))
            {
                throw new AssertionError("sniffer on " + port + " did not end cleanly (status " + r.status() + "): " + r.output());
            }
            final List<Frame> frames = new ArrayList<>();
            for (final String line : r.stdout().split("\n"))
            {
                final String[] part = line.split("\t");
                if (part.length == 3)
                {
                    frames.add(new Frame(part[0], part[1], part[2]));
                }
            }
            return frames;
        }

        @Override
        public void close() throws InterruptedException
        {
            sniffer.close();
        }
    }

    /** Send {@code frames} (scapy expressions) out of {@code from}, in order, about 20 ms apart. */
    public static void send(final Port from, final List<String> frames) throws InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", from.ns(), PYTHON, "-c", SEND,
            from.iface()));
        cmd.addAll(frames);
        try (Subprocess p = Subprocess.start(Map.of(), cmd, null))
        {
            final Commands.Result r = p.await(SEND_TIMEOUT);
            if (r.status() != 0)
            {
                throw new AssertionError("scapy could not send " + frames + " on " + from + ": " + r.output());
            }
        }
    }

    /**
     * Capture on each of {@code on} ({@link #INBOUND}) while {@code frames} are sent out of {@code from}, and
     * a moment after; the frames captured on each, in the order of {@code on}.
     */
    public static List<List<Frame>> exchange(final Port from, final List<String> frames, final Port... on)
        throws InterruptedException
    {
        final List<Capture> captures = new ArrayList<>();
        try
        {
            for (final Port p : on)
            {
                captures.add(Capture.start(p, INBOUND));
            }
            send(from, frames);
            TimeUnit.MILLISECONDS.sleep(SETTLE_MS);
            final List<List<Frame>> seen = new ArrayList<>();
            for (final Capture c : captures)
            {
                seen.add(c.stop());
            }
            return seen;
        }
        finally
        {
            for (final Capture c : captures)
            {
                c.close();
            }
        }
    }
}
