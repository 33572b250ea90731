package jvpp.nodes.arp;

import java.nio.ByteBuffer;
import java.util.List;

import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.ArpFlyweight;
import jvpp.core.net.EthernetFlyweight;
import jvpp.core.net.Ip4;
import jvpp.core.net.MacAddress;
import jvpp.core.trace.TraceBuffer;
import jvpp.nodes.ip4.Ip4Main;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * {@code arp-input}: ARP for IPv4 over Ethernet. Answers requests for jvpp's addresses on the receiving
 * interface (the reply is built in place and sent back out), and reports the senders it may learn to main through
 * {@link Ip4Main#learnRing()}. Malformed packets are dropped, each under its own reason.
 *
 * <p>Who may teach the neighbor table (VPP's arp-reply node, so that ARP cannot be poisoned), checked in this
 * order, each outcome under its own counter:
 * <ul>
 * <li>a sender MAC that is zero, multicast or broadcast, or a sender address that is multicast or broadcast:
 *   dropped, never learned;</li>
 * <li>an Ethernet source MAC other than the ARP sender MAC: dropped ({@code l2 address mismatch}), except a reply
 *   from a VRRP virtual MAC 00:00:5e:00:01:xx, as VPP;</li>
 * <li>sender 0.0.0.0 (an RFC 5227 probe): never learned; a probe for our address is answered, so that the prober
 *   sees the address is taken (RFC 5227 2.1.1, as Linux; VPP drops probes, which lets a host take our address);</li>
 * <li>a sender address that is one of jvpp's own, on any interface (gratuitous or not): dropped;</li>
 * <li>a sender not on the receiving interface's connected subnets: dropped;</li>
 * <li>gratuitous ARP (sender address = target address, request or reply): refreshes a neighbor already known on
 *   the receiving interface (it may move it to a new MAC), never creates one;</li>
 * <li>a reply to one of our addresses on the receiving interface: creates or refreshes the sender;</li>
 * <li>a request for one of our addresses on the receiving interface: creates or refreshes the sender, answered;</li>
 * <li>any other reply or request (for another host): dropped, not learned.</li>
 * </ul>
 *
 * <p>Thread: any thread running the graph.
 */
public final class ArpInputNode extends Node
{
    public static final String NAME = "arp-input";
    static final int NEXT_DROP = 0;
    static final int NEXT_OUTPUT = 1;

    public static final int ERROR_REPLIES_SENT = 0;
    public static final int ERROR_REPLIES_RECEIVED = 1;
    public static final int ERROR_GRATUITOUS = 2;
    public static final int ERROR_TOO_SHORT = 3;
    public static final int ERROR_HARDWARE_TYPE = 4;
    public static final int ERROR_PROTOCOL_TYPE = 5;
    public static final int ERROR_LENGTHS = 6;
    public static final int ERROR_OPCODE = 7;
    public static final int ERROR_NOT_FOR_US = 8;
    public static final int ERROR_NOT_LOCAL = 9;
    public static final int ERROR_LEARN_FULL = 10;
    public static final int ERROR_SOURCE_INVALID = 11;
    public static final int ERROR_SOURCE_IS_LOCAL = 12;
    public static final int ERROR_L2_MISMATCH = 13;
    public static final int ERROR_PROBE = 14;
    public static final int ERROR_GRATUITOUS_UNKNOWN = 15;
    public static final int ERROR_REPLY_NOT_FOR_US = 16;
    public static final int ERROR_REQUEST_LEARNED = 17;
    public static final List<String> ERRORS = List.of("ARP replies sent", "ARP replies received",
        "gratuitous ARP refreshed a known neighbor", "ARP packet too short", "ARP hardware type not Ethernet",
        "ARP protocol type not IP4", "ARP bad address lengths", "ARP unknown opcode",
        "ARP request for an address that is not ours", "IP4 source address not local to subnet", "ARP learn queue full",
        "ARP sender MAC or address invalid", "IP4 source address matches local interface",
        "ARP hw addr does not match L2 frame src addr", "ARP probe (sender 0.0.0.0, RFC 5227) never learned",
        "gratuitous ARP for an unknown neighbor (not learned)",
        "ARP reply for an address that is not ours (not learned)", "ARP request IP4 source address learned");

    /** VRRP's virtual router MACs 00:00:5e:00:01:xx (RFC 5798), whose replies may come from another MAC. */
    private static final long VRRP_PREFIX = 0x0000_5e00_0100L;

    private static final int REPLY_FRAME = 60;

    private final Ip4Main ip4;
    private final InterfaceTable interfaces;
    private final ManyToOneRingBuffer learnRing;
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private final ArpFlyweight arp = new ArpFlyweight();
    private final EthernetFlyweight eth = new EthernetFlyweight();
    private final int[] nexts = new int[Frame.SIZE];

    private ArpInputNode(final Ip4Main ip4, final InterfaceTable interfaces)
    {
        this.ip4 = ip4;
        this.interfaces = interfaces;
        this.learnRing = ip4.learnRing();
    }

    public static NodeRegistration registration(final Ip4Main ip4, final InterfaceTable interfaces)
    {
        return NodeRegistration.internal(NAME, List.of("error-drop", "interface-output"), ERRORS,
            () -> new ArpInputNode(ip4, interfaces));
    }

    @Override
    public int process(final Frame frame)
    {
        final int n = frame.n;
        final int[] bufs = frame.bufs;
        final int[][] addressTable = ip4.addressTable();
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            final int bi = bufs[i];
            final int next = arp(bi, addressTable);
            if (next < 0)
            {
                continue; // consumed
            }
            bufs[kept] = bi;
            nexts[kept++] = next;
        }
        enqueueToNext(bufs, nexts, kept);
        return n;
    }

    private int arp(final int bi, final int[][] addressTable)
    {
        if (bLength[bi] < ArpFlyweight.LENGTH)
        {
            return dropWith(bi, ERROR_TOO_SHORT);
        }
        final int at = bStart[bi];
        arp.wrap(mem, at);
        if (arp.hardwareType() != ArpFlyweight.HTYPE_ETHERNET)
        {
            return dropWith(bi, ERROR_HARDWARE_TYPE);
        }
        if (arp.protocolType() != EthernetFlyweight.TYPE_IP4)
        {
            return dropWith(bi, ERROR_PROTOCOL_TYPE);
        }
        if (arp.hardwareLength() != 6 || arp.protocolLength() != 4)
        {
            return dropWith(bi, ERROR_LENGTHS);
        }
        final int op = arp.opcode();
        if (op != ArpFlyweight.OP_REQUEST && op != ArpFlyweight.OP_REPLY)
        {
            return dropWith(bi, ERROR_OPCODE);
        }
        final int rx = bRxIf[bi];
        final int senderIp = arp.senderIp();
        final long senderMac = arp.senderMac();
        final int targetIp = arp.targetIp();
        if (senderMac == 0 || MacAddress.isMulticast(senderMac) || senderIp == -1 || (senderIp >>> 28) == 0xe)
        {
            return dropWith(bi, ERROR_SOURCE_INVALID);
        }
        final int l2 = at - EthernetFlyweight.HEADER_LENGTH;
        if (EthernetFlyweight.src(mem, l2) != senderMac
            && !(op == ArpFlyweight.OP_REPLY && (senderMac & ~0xffL) == VRRP_PREFIX))
        {
            return dropWith(bi, ERROR_L2_MISMATCH);
        }
        final int[] mine = rx >= 0 && rx < addressTable.length ? addressTable[rx] : null;
        final boolean forUs = Ip4Main.isOurs(mine, targetIp);
        if (senderIp == 0)
        {
            if (op != ArpFlyweight.OP_REQUEST || !forUs)
            {
                return dropWith(bi, ERROR_PROBE);
            }
            count(ERROR_PROBE, 1);
            return reply(bi, at, rx, senderMac, senderIp, targetIp);
        }
        if (isAnyOurs(addressTable, senderIp))
        {
            return dropWith(bi, ERROR_SOURCE_IS_LOCAL);
        }
        if (!Ip4Main.onSubnet(mine, senderIp))
        {
            return dropWith(bi, ERROR_NOT_LOCAL);
        }
        if (senderIp == targetIp)
        {
            if (!ip4.isNeighbor(rx, senderIp))
            {
                return dropWith(bi, ERROR_GRATUITOUS_UNKNOWN);
            }
            learn(rx, senderIp, senderMac, true);
            count(ERROR_GRATUITOUS, 1);
            buffers.free(bi);
            return -1;
        }
        if (!forUs)
        {
            return dropWith(bi, op == ArpFlyweight.OP_REPLY ? ERROR_REPLY_NOT_FOR_US : ERROR_NOT_FOR_US);
        }
        learn(rx, senderIp, senderMac, false);
        if (op == ArpFlyweight.OP_REPLY)
        {
            count(ERROR_REPLIES_RECEIVED, 1);
            buffers.free(bi);
            return -1;
        }
        count(ERROR_REQUEST_LEARNED, 1);
        return reply(bi, at, rx, senderMac, senderIp, targetIp);
    }

    /** Turn the request in {@code bi} into our reply, in place, back out of {@code rx}. */
    private int reply(final int bi, final int at, final int rx, final long senderMac, final int senderIp,
        final int targetIp)
    {
        final Interface ifc = interfaces.get(rx);
        final long ourMac = ifc == null ? 0 : ifc.mac();
        arp.write(ArpFlyweight.OP_REPLY, ourMac, targetIp, senderMac, senderIp);
        final int l2 = at - EthernetFlyweight.HEADER_LENGTH;
        eth.wrap(mem, l2).dst(senderMac).src(ourMac).type(EthernetFlyweight.TYPE_ARP);
        mem.setMemory(at + ArpFlyweight.LENGTH, REPLY_FRAME - EthernetFlyweight.HEADER_LENGTH - ArpFlyweight.LENGTH, (byte)0);
        bStart[bi] = l2;
        bLength[bi] = REPLY_FRAME;
        bTxIf[bi] = rx;
        count(ERROR_REPLIES_SENT, 1);
        return NEXT_OUTPUT;
    }

    /** Whether {@code ip} is one of jvpp's addresses on any interface. */
    private static boolean isAnyOurs(final int[][] addressTable, final int ip)
    {
        for (final int[] pairs : addressTable)
        {
            if (Ip4Main.isOurs(pairs, ip))
            {
                return true;
            }
        }
        return false;
    }

    private void learn(final int rx, final int ip, final long mac, final boolean refreshOnly)
    {
        if (!Ip4Main.reportLearned(learnRing, scratch, rx, ip, mac, refreshOnly))
        {
            count(ERROR_LEARN_FULL, 1);
            return;
        }
        ip4.signalLearned();
    }

    private int dropWith(final int bi, final int reason)
    {
        pool.error[bi] = errorBase + reason;
        return NEXT_DROP;
    }

    @Override
    public void formatTrace(final StringBuilder out, final TraceBuffer.Record record)
    {
        if (record.captured() < ArpFlyweight.LENGTH)
        {
            out.append("  ").append(record.length()).append(" bytes, too short for ARP");
            return;
        }
        final ArpFlyweight a = new ArpFlyweight().wrap(record.data(), 0);
        out.append("  ").append(a.opcode() == 1 ? "request" : a.opcode() == 2 ? "reply" : "opcode " + a.opcode())
            .append(", type ethernet/IP4, address size 6/4\n  ").append(MacAddress.format(a.senderMac())).append('/')
            .append(Ip4.format(a.senderIp())).append(" -> ").append(MacAddress.format(a.targetMac())).append('/')
            .append(Ip4.format(a.targetIp()));
    }
}
