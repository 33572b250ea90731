package jvpp.nodes.ip4;


import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliOutput;
import jvpp.core.iface.Interface;
import jvpp.core.net.Icmp4Flyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code ping <address> [source <interface>] [repeat <n>] [size <n>] [interval <seconds>]}: ICMP echo
 * requests from jvpp itself, routed like any other packet (injected into ip4-lookup), with vppctl's output
 * lines. While it waits for replies the command keeps main's data plane running ({@link Jvpp#pump}).
 *
 * <p>Thread: main.
 */
final class Ping
{
    private static int nextId = (int)(System.nanoTime() & 0x7fff);

    private Ping()
    {
    }

    static void register(final Jvpp vpp, final Ip4Main ip4)
    {
        vpp.cli().register("ping", "Send ICMP echo requests from jvpp",
            "ping <address> [source <interface>] [repeat <n>] [size <n>] [interval <seconds>]", in -> {
                final int dst = Ip4Commands.address(in.next("IP4 address"));
                Interface source = null;
                int repeat = 5;
                int size = 56;
                double interval = 1.0;
                while (!in.atEnd())
                {
                    if (in.accept("source"))
                    {
                        source = vpp.interfaces().parse(in);
                    }
                    else if (in.accept("repeat"))
                    {
                        repeat = in.nextInt("repeat count", 1, 1_000_000);
                    }
                    else if (in.accept("size"))
                    {
                        size = in.nextInt("size", 0, vpp.arena().dataSize() - 28 - 14);
                    }
                    else if (in.accept("interval"))
                    {
                        final String s = in.next("interval");
                        try
                        {
                            interval = Double.parseDouble(s);
                        }
                        catch (final NumberFormatException ex)
                        {
                            throw new CliException("expected interval in seconds, got `" + s + "'");
                        }
                        if (interval < 0.0001 || interval > 3600)
                        {
                            throw new CliException("interval must be between 0.0001 and 3600 seconds");
                        }
                    }
                    else
                    {
                        throw in.unknown();
                    }
                }
                final Interface src = source;
                final int n = repeat;
                final int payload = size;
                final long intervalNanos = (long)(interval * 1e9);
                return out -> run(vpp, ip4, out, dst, src, n, payload, intervalNanos);
            });
    }

    private static void run(final Jvpp vpp, final Ip4Main ip4, final CliOutput out, final int dst, final Interface source,
        final int repeat, final int payload, final long intervalNanos) throws CliException
    {
        final int srcAddress = sourceAddress(ip4, dst, source);
        if (srcAddress == 0)
        {
            throw new CliException("no source address to reach " + Ip4.format(dst));
        }
        final int id = nextId++ & 0xffff;
        final long[] sentAt = new long[repeat + 1];
        final int[] received = {0};
        ip4.echoListener((replyId, seq, from, ttl, icmpLength, nanos) -> {
            if (replyId != id || seq < 1 || seq > repeat || sentAt[seq] == 0)
            {
                return;
            }
            received[0]++;
            final double ms = (nanos - sentAt[seq]) / 1e6;
            final String time = String.format("%.4f", ms);
            out.println(icmpLength + " bytes from " + Ip4.format(from) + ": icmp_seq=" + seq + " ttl=" + ttl + " time="
                + (time.startsWith("0") ? time.substring(1) : time) + " ms");
            sentAt[seq] = 0;
        });
        int sent = 0;
        try
        {
            final int lookup = vpp.graph().indexOrThrow(Ip4LookupNode.NAME);
            for (int seq = 1; seq <= repeat; seq++)
            {
                final long t0 = System.nanoTime();
                if (send(vpp, dst, srcAddress, id, seq, payload, lookup))
                {
                    sentAt[seq] = t0;
                    sent++;
                }
                final long until = t0 + intervalNanos;
                while (System.nanoTime() < until)
                {
                    if (vpp.pump() == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        }
        finally
        {
            ip4.echoListener(null);
        }
        final int lost = sent == 0 ? 100 : (sent - received[0]) * 100 / sent;
        out.println();
        out.println("Statistics: " + sent + " sent, " + received[0] + " received, " + lost + "% packet loss");
    }

    private static int sourceAddress(final Ip4Main ip4, final int dst, final Interface source)
    {
        if (source != null)
        {
            return ip4.sourceAddress(source.swIfIndex(), dst);
        }
        final int lb = ip4.fib().lookup(dst);
        final int adj = ip4.loadBalances().first[lb];
        final Adjacencies adjs = ip4.adjacencies();
        if (adjs.type[adj] == Adjacencies.LOCAL)
        {
            return dst;
        }
        if (adjs.type[adj] == Adjacencies.DROP || adjs.type[adj] == Adjacencies.UNREACHABLE)
        {
            return 0;
        }
        return ip4.sourceAddress(adjs.swIfIndex[adj], dst);
    }

    private static boolean send(final Jvpp vpp, final int dst, final int src, final int id, final int seq,
        final int payload, final int lookup)
    {
        final BufferCache cache = vpp.mainDispatcher().buffers();
        final int bi = cache.alloc();
        if (bi < 0)
        {
            return false;
        }
        final UnsafeBuffer mem = vpp.pool().memory();
        final int at = vpp.pool().start[bi];
        final int icmp = at + Ip4Flyweight.MIN_HEADER_LENGTH;
        final int icmpLength = Icmp4Flyweight.HEADER_LENGTH + payload;
        Icmp4Flyweight.writeHeader(mem, icmp, Icmp4Flyweight.TYPE_ECHO_REQUEST, 0, id << 16 | (seq & 0xffff));
        for (int i = 0; i < payload; i++)
        {
            mem.putByte(icmp + Icmp4Flyweight.HEADER_LENGTH + i, (byte)i);
        }
        Icmp4Flyweight.fillChecksum(mem, icmp, icmpLength);
        new Ip4Flyweight().wrap(mem, at).writeHeader(Ip4Flyweight.MIN_HEADER_LENGTH + icmpLength, 64, Ip4.PROTO_ICMP, src, dst);
        vpp.pool().length[bi] = Ip4Flyweight.MIN_HEADER_LENGTH + icmpLength;
        vpp.pool().rxIf[bi] = 0;
        vpp.pool().flags[bi] = jvpp.core.buffer.BufferPool.FLAG_LOCALLY_ORIGINATED;
        vpp.mainDispatcher().inject(lookup, bi);
        return true;
    }
}
