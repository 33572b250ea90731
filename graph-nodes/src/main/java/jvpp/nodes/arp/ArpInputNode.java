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
 * interface (the reply is built in place and sent back out), and reports senders on a connected subnet —
 * from requests to us, replies and gratuitous ARP — to main through {@link Ip4Main#learnRing()}.
 * Malformed packets are dropped, each under its own reason.
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
    public static final List<String> ERRORS = List.of("ARP replies sent", "ARP replies received", "gratuitous ARP",
        "ARP packet too short", "ARP hardware type not Ethernet", "ARP protocol type not IP4",
        "ARP bad address lengths", "ARP unknown opcode", "ARP request for an address that is not ours",
        "ARP sender not on a connected subnet", "ARP learn queue full", "ARP sender MAC or address invalid");

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
        final int[] mine = rx >= 0 && rx < addressTable.length ? addressTable[rx] : null;
        final boolean senderLocal = senderIp != 0 && Ip4Main.onSubnet(mine, senderIp);
        if (op == ArpFlyweight.OP_REPLY)
        {
            if (!senderLocal)
            {
                return dropWith(bi, ERROR_NOT_LOCAL);
            }
            learn(rx, senderIp, senderMac);
            count(ERROR_REPLIES_RECEIVED, 1);
            buffers.free(bi);
            return -1;
        }
        if (senderIp == targetIp)
        {
            if (senderLocal)
            {
                learn(rx, senderIp, senderMac);
            }
            count(ERROR_GRATUITOUS, 1);
            buffers.free(bi);
            return -1;
        }
        if (!Ip4Main.isOurs(mine, targetIp))
        {
            return dropWith(bi, ERROR_NOT_FOR_US);
        }
        if (senderLocal)
        {
            learn(rx, senderIp, senderMac);
        }
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

    private void learn(final int rx, final int ip, final long mac)
    {
        if (!Ip4Main.reportLearned(learnRing, scratch, rx, ip, mac))
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
