package jvpp.bench;

import jvpp.core.Jvpp;
import jvpp.core.buffer.BufferCache;
import jvpp.core.buffer.BufferPool;
import jvpp.core.graph.Dispatcher;
import jvpp.core.log.Log;
import jvpp.core.net.Icmp4Flyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.Ip4Flyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code ip4-reass}: 1400-byte ICMP echo replies to the router's own 198.18.0.1 on loop0, each in three fragments
 * (552 + 552 + 276 bytes of data), through ethernet-input → ip4-input → ip4-lookup → ip4-local →
 * ip4-local-full-reassembly → ip4-local, which verifies the ICMP checksum over the chain and consumes the reply (no
 * ping waits for it, so nothing leaves and only the way in is measured). A feeder on the same thread writes each
 * fragment into a buffer (its own IP id per datagram, header checksum filled) and injects a frame of them per loop.
 * Its anchor ({@code ip4-local-1400}, in its own JVM in the same run) is the same datagrams whole, one buffer each,
 * through the same feeder and nodes but reassembly. Both count datagrams (ip4-local's {@code echo replies
 * received}), so the ratio is what reassembling costs per datagram. One thread.
 */
final class Ip4ReassScenario
{
    private static final int DATAGRAM = 1400;
    private static final int[] PIECES = {552, 552, 276};
    /** Datagrams injected per loop: a frame of fragments and more. */
    private static final int BURST = 96;
    private static final long ROUTER_MAC = 0xdead_0000_0000L;

    private Ip4ReassScenario()
    {
    }

    static Measure fragmented(final BenchOptions o)
    {
        return measure(o, true);
    }

    static Measure whole(final BenchOptions o)
    {
        return measure(o, false);
    }

    private static Measure measure(final BenchOptions o, final boolean fragmented)
    {
        Log.console(false);
        try (Jvpp vpp = Jvpp.create())
        {
            BenchCli.exec(vpp, BenchCli.LOOP_ROUTED_TO_NULL);
            final Dispatcher d = vpp.mainDispatcher();
            final byte[][] frames = fragmented ? fragments() : new byte[][] {frame(datagram(), 0, DATAGRAM - 20, 0)};
            final Feeder feeder = new Feeder(vpp, frames);
            final int replies = vpp.graph().errorIndex("ip4-local", "echo replies received");
            final Measure m = Measure.run(() -> {
                feeder.feed(BURST);
                return d.doWork();
            }, () -> d.errorCount(replies), o.warmup, o.packets);
            if (o.runtime)
            {
                BenchCli.exec(vpp, "clear runtime");
                final long until = d.errorCount(replies) + o.packets / 4;
                while (d.errorCount(replies) < until)
                {
                    feeder.feed(BURST);
                    d.doWork();
                }
                System.out.print(vpp.execute("show runtime").output());
            }
            while (d.doWork() > 0)
            {
                // drain
            }
            System.out.print(vpp.execute("show errors").output());
            System.out.printf("INFO %s datagrams of %d bytes, %d buffers in use after the drain%n",
                fragmented ? "3-fragment" : "whole", DATAGRAM, vpp.pool().used());
            return m;
        }
    }

    /** The IPv4 datagram: header (198.18.0.2 → 198.18.0.1, ICMP) and an echo reply with a valid checksum. */
    private static byte[] datagram()
    {
        final byte[] ip = new byte[DATAGRAM];
        final UnsafeBuffer b = new UnsafeBuffer(ip);
        for (int i = 28; i < DATAGRAM; i++)
        {
            ip[i] = (byte)(i * 7 + 3);
        }
        Icmp4Flyweight.writeHeader(b, 20, Icmp4Flyweight.TYPE_ECHO_REPLY, 0, 0x0007_0001);
        Icmp4Flyweight.fillChecksum(b, 20, DATAGRAM - 20);
        new Ip4Flyweight().wrap(b, 0).writeHeader(DATAGRAM, 64, Ip4.PROTO_ICMP, Ip4.parse("198.18.0.2"),
            Ip4.parse("198.18.0.1"));
        return ip;
    }

    private static byte[][] fragments()
    {
        final byte[] ip = datagram();
        final byte[][] out = new byte[PIECES.length][];
        int offset = 0;
        for (int k = 0; k < PIECES.length; k++)
        {
            final boolean last = k == PIECES.length - 1;
            out[k] = frame(ip, offset, PIECES[k], (last ? 0 : Ip4Flyweight.FLAG_MF) | offset >>> 3);
            offset += PIECES[k];
        }
        return out;
    }

    /** An Ethernet frame for loop0 holding the datagram's header and {@code length} payload bytes from {@code offset}. */
    private static byte[] frame(final byte[] ip, final int offset, final int length, final int flagsFragment)
    {
        final byte[] f = new byte[14 + 20 + length];
        final UnsafeBuffer b = new UnsafeBuffer(f);
        b.putShort(0, (short)(ROUTER_MAC >>> 32), java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)ROUTER_MAC, java.nio.ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)0x0200, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(8, 1, java.nio.ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, java.nio.ByteOrder.BIG_ENDIAN);
        System.arraycopy(ip, 0, f, 14, 20);
        System.arraycopy(ip, 20 + offset, f, 34, length);
        Ip4Flyweight.totalLength(b, 14, 20 + length);
        Ip4Flyweight.flagsFragment(b, 14, flagsFragment);
        return f;
    }

    /** Writes datagrams' frames into fresh buffers and injects them into ethernet-input; allocation-free. */
    private static final class Feeder
    {
        private final Dispatcher d;
        private final BufferCache cache;
        private final BufferPool pool;
        private final UnsafeBuffer mem;
        private final UnsafeBuffer[] frames;
        private final int ethernetInput;
        private final int rxIf;
        private int id;

        Feeder(final Jvpp vpp, final byte[][] frames)
        {
            this.d = vpp.mainDispatcher();
            this.cache = d.buffers();
            this.pool = vpp.pool();
            this.mem = pool.memory();
            this.frames = new UnsafeBuffer[frames.length];
            for (int k = 0; k < frames.length; k++)
            {
                this.frames[k] = new UnsafeBuffer(frames[k]);
            }
            this.ethernetInput = vpp.graph().indexOrThrow("ethernet-input");
            this.rxIf = vpp.interfaces().get("loop0").swIfIndex();
        }

        /** {@code datagrams} datagrams, all their frames, each with its own IP id. */
        void feed(final int datagrams)
        {
            for (int n = 0; n < datagrams; n++)
            {
                id = (id + 1) & 0xffff;
                for (final UnsafeBuffer f : frames)
                {
                    final int bi = cache.alloc();
                    if (bi < 0)
                    {
                        return;
                    }
                    final int at = pool.start[bi];
                    mem.putBytes(at, f, 0, f.capacity());
                    Ip4Flyweight.id(mem, at + 14, id);
                    Ip4Flyweight.fillChecksum(mem, at + 14, 20);
                    pool.length[bi] = f.capacity();
                    pool.rxIf[bi] = rxIf;
                    d.inject(ethernetInput, bi);
                }
            }
        }
    }
}
