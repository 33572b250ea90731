package jvpp.nodes.testing;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;

/**
 * An interface for node tests: what it transmits is copied into {@link #sent} and freed, and
 * {@link #receive} hands crafted frames to ethernet-input as if they arrived on it.
 */
public final class CaptureInterface
{
    public final List<byte[]> sent = new ArrayList<>();
    /** When set, ICMP echo requests sent out of this interface are answered as a host on the wire would. */
    public boolean answerPings;
    private final Jvpp vpp;
    private final Interface ifc;

    private CaptureInterface(final Jvpp vpp, final String name, final long mac)
    {
        this.vpp = vpp;
        vpp.graph().register(NodeRegistration.internal(name + "-tx", List.of("ethernet-input"), List.of(),
            () -> new Tx(this)));
        this.ifc = vpp.interfaces().create(name, () -> "capture", mac, name + "-tx");
        vpp.interfaces().setAdminState(ifc, true);
        vpp.syncThreads();
    }

    /** Create {@code name} with {@code mac}, admin up. */
    public static CaptureInterface create(final Jvpp vpp, final String name, final long mac)
    {
        return new CaptureInterface(vpp, name, mac);
    }

    public Interface ifc()
    {
        return ifc;
    }

    public int swIfIndex()
    {
        return ifc.swIfIndex();
    }

    /** Put {@code frame} into ethernet-input as received on this interface (runs on the next loop). */
    public void receive(final byte[] frame)
    {
        final int bi = vpp.mainDispatcher().buffers().alloc();
        vpp.pool().memory().putBytes(vpp.pool().start[bi], frame);
        vpp.pool().length[bi] = frame.length;
        vpp.pool().rxIf[bi] = ifc.swIfIndex();
        vpp.mainDispatcher().inject(vpp.graph().indexOrThrow("ethernet-input"), bi);
    }

    /** Take what was sent so far. */
    public List<byte[]> take()
    {
        final List<byte[]> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    private static final class Tx extends Node
    {
        private final CaptureInterface owner;

        Tx(final CaptureInterface owner)
        {
            this.owner = owner;
        }

        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                final int bi = frame.bufs[i];
                final byte[] b = new byte[bLength[bi]];
                mem.getBytes(bStart[bi], b);
                owner.sent.add(b);
                final int at = bStart[bi];
                if (owner.answerPings && b.length >= 42 && b[12] == 8 && b[13] == 0 && b[23] == 1 && b[34] == 8)
                {
                    answer(bi, at);
                    continue;
                }
                buffers.free(bi);
            }
            return frame.n;
        }

        /** Turn the echo request in {@code bi} into the reply a host would send, and receive it. */
        private void answer(final int bi, final int at)
        {
            final long dstMac = new jvpp.core.net.EthernetFlyweight().wrap(mem, at).dst();
            final long srcMac = new jvpp.core.net.EthernetFlyweight().wrap(mem, at).src();
            new jvpp.core.net.EthernetFlyweight().wrap(mem, at).dst(srcMac).src(dstMac);
            final jvpp.core.net.Ip4Flyweight ip = new jvpp.core.net.Ip4Flyweight().wrap(mem, at + 14);
            final int src = ip.src();
            ip.src(ip.dst()).dst(src).ttl(61);
            ip.updateChecksum();
            final int icmp = at + 34;
            mem.putByte(icmp, (byte)0);
            mem.putShort(icmp + 2, (short)0);
            mem.putShort(icmp + 2, (short)jvpp.core.net.Ip4.checksum(mem, icmp, bLength[bi] - 34),
                java.nio.ByteOrder.BIG_ENDIAN);
            bRxIf[bi] = owner.swIfIndex();
            enqueue(0, bi);
        }
    }
}
