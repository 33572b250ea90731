package jvpp.nodes.ip4;

import java.nio.ByteOrder;
import java.util.Arrays;

import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The adjacency table: where a packet goes once its route is known (VPP's ip_adjacency_t). Flat arrays
 * indexed by adjacency index; the data plane reads {@link #type}, {@link #swIfIndex}, {@link #mtu} and the
 * precomputed 14-byte Ethernet rewrite, written with three stores.
 *
 * <p>Kinds: {@link #REWRITE} (neighbor known: rewrite and send), {@link #INCOMPLETE} (neighbor not yet
 * resolved: ip4-arp holds the packet and asks), {@link #GLEAN} (a connected subnet: ask for the packet's
 * own destination), {@link #LOCAL} (ours: ip4-local), {@link #DROP}, {@link #UNREACHABLE} (no route: ICMP
 * destination unreachable).
 *
 * <p>Thread: main mutates (today, and at a worker barrier later); the data plane reads.
 */
public final class Adjacencies
{
    public static final int DROP = 0;
    public static final int UNREACHABLE = 1;
    public static final int LOCAL = 2;
    public static final int GLEAN = 3;
    public static final int INCOMPLETE = 4;
    public static final int REWRITE = 5;

    /** Fixed indices. */
    public static final int ADJ_DROP = 0;
    public static final int ADJ_UNREACHABLE = 1;

    private static final String[] NAMES = {"drop", "unreachable", "receive", "glean", "incomplete", "rewrite"};

    public int[] type = new int[64];
    public int[] swIfIndex = new int[64];
    public int[] nextHop = new int[64];
    public int[] mtu = new int[64];
    /** Rewrite bytes 0..7 and 8..13 in native byte order, ready for putLong / putInt + putShort. */
    public long[] rewrite0 = new long[64];
    public long[] rewrite1 = new long[64];
    private int[] refs = new int[64];
    private int size;
    private int[] freeList = new int[64];
    private int freeCount;

    public Adjacencies()
    {
        add(DROP, 0, 0, 0);
        add(UNREACHABLE, 0, 0, 0);
        refs[ADJ_DROP] = Integer.MAX_VALUE / 2;
        refs[ADJ_UNREACHABLE] = Integer.MAX_VALUE / 2;
    }

    /** A new adjacency with one reference. */
    public int add(final int kind, final int swIf, final int nh, final int mtuBytes)
    {
        final int i;
        if (freeCount > 0)
        {
            i = freeList[--freeCount];
        }
        else
        {
            if (size == type.length)
            {
                grow();
            }
            i = size++;
        }
        type[i] = kind;
        swIfIndex[i] = swIf;
        nextHop[i] = nh;
        mtu[i] = mtuBytes;
        rewrite0[i] = 0;
        rewrite1[i] = 0;
        refs[i] = 1;
        return i;
    }

    public void lock(final int adj)
    {
        refs[adj]++;
    }

    /** Drop a reference; the adjacency is reused once none remain (then returns true). */
    public boolean unlock(final int adj)
    {
        if (--refs[adj] == 0)
        {
            type[adj] = DROP;
            if (freeCount == freeList.length)
            {
                freeList = Arrays.copyOf(freeList, freeList.length * 2);
            }
            freeList[freeCount++] = adj;
            return true;
        }
        return false;
    }

    /** Make {@code adj} a complete rewrite to {@code dstMac} from {@code srcMac}. */
    public void complete(final int adj, final long dstMac, final long srcMac)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        new EthernetFlyweight().wrap(b, 0).dst(dstMac).src(srcMac).type(EthernetFlyweight.TYPE_IP4);
        rewrite0[adj] = b.getLong(0, ByteOrder.nativeOrder());
        rewrite1[adj] = b.getLong(8, ByteOrder.nativeOrder());
        type[adj] = REWRITE;
    }

    /** Back to incomplete (the neighbor went away). */
    public void incomplete(final int adj)
    {
        type[adj] = INCOMPLETE;
        rewrite0[adj] = 0;
        rewrite1[adj] = 0;
    }

    public int size()
    {
        return size;
    }

    /** The destination MAC of a complete rewrite. */
    public long dstMac(final int adj)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        b.putLong(0, rewrite0[adj], ByteOrder.nativeOrder());
        return new EthernetFlyweight().wrap(b, 0).dst();
    }

    /** How {@code show ip fib} describes an adjacency. */
    public String describe(final int adj, final jvpp.core.iface.InterfaceTable interfaces)
    {
        final String ifName = interfaces.name(swIfIndex[adj]);
        switch (type[adj])
        {
            case REWRITE:
                return "ipv4 via " + Ip4.format(nextHop[adj]) + " " + ifName + ": mtu:" + mtu[adj] + " "
                    + MacAddress.format(dstMac(adj)).replace(":", "") + " [@" + adj + "]";
            case INCOMPLETE:
                return "ipv4 via " + Ip4.format(nextHop[adj]) + " " + ifName + ": mtu:" + mtu[adj] + " incomplete [@" + adj + "]";
            case GLEAN:
                return "ipv4-glean: " + ifName + ": mtu:" + mtu[adj] + " [@" + adj + "]";
            case LOCAL:
                return "dpo-receive: " + Ip4.format(nextHop[adj]) + " on " + ifName + " [@" + adj + "]";
            case UNREACHABLE:
                return "dpo-drop ip4 (icmp unreachable) [@" + adj + "]";
            default:
                return "dpo-drop ip4 [@" + adj + "]";
        }
    }

    public static String kindName(final int kind)
    {
        return NAMES[kind];
    }

    private void grow()
    {
        final int n = type.length * 2;
        type = Arrays.copyOf(type, n);
        swIfIndex = Arrays.copyOf(swIfIndex, n);
        nextHop = Arrays.copyOf(nextHop, n);
        mtu = Arrays.copyOf(mtu, n);
        rewrite0 = Arrays.copyOf(rewrite0, n);
        rewrite1 = Arrays.copyOf(rewrite1, n);
        refs = Arrays.copyOf(refs, n);
    }
}
