package jvpp.pmd.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jvpp.core.net.Ip4;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An rtnetlink client: links (veth, bridge, name, state, MTU, MAC, namespace, master), IPv4 addresses and
 * routes, without running {@code ip}. Every request asks for an acknowledgement ({@code NLM_F_ACK}); a
 * negative one becomes a {@link NetlinkException} such as
 * {@code netlink: create veth a/b: File exists (EEXIST)}.
 *
 * <p>A client talks to the network namespace it was opened in: {@link #open()} the caller's,
 * {@link #open(String)} a named one (the socket is made on a short-lived thread inside it, and stays bound
 * to it). IPv4 addresses are ints with the first octet in the high byte ({@code jvpp.core.net.Ip4}); MACs
 * are 48-bit longs ({@code jvpp.core.net.MacAddress}).
 *
 * <p>Thread: one thread at a time (control plane, usually main); not thread-safe. Open one per thread
 * when several need it; sockets are cheap.
 */
public final class RtNetlink implements AutoCloseable
{
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLMSGERR_ATTR_MSG = 1;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_NEWROUTE = 24;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_EXT_MASK = 29;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;
    static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int IFF_LOWER_UP = 0x10000;

    static final int AF_INET = 2;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int RTA_DST = 1;
    static final int RTA_GATEWAY = 5;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RTN_UNICAST = 1;

    private static final int IFINFOMSG_LENGTH = 16;
    private static final String COMPONENT = "netlink";

    /** Receives each reply message of a request; {@code offset} is that of its nlmsghdr. */
    @FunctionalInterface
    interface MessageHandler
    {
        void onMessage(UnsafeBuffer buffer, int offset, int length, int type);
    }

    private final NetlinkSocket socket;
    private final NetlinkEncoder encoder = new NetlinkEncoder();
    private int seq = (int)(System.nanoTime() & 0x3fff_ffff);

    private RtNetlink(final NetlinkSocket socket)
    {
        this.socket = socket;
    }

    /** A client for the calling thread's network namespace. */
    public static RtNetlink open()
    {
        return new RtNetlink(NetlinkSocket.open(0, 0, 0));
    }

    /** A client for the named network namespace ({@code /run/netns/<netns>}); null means the caller's. */
    public static RtNetlink open(final String netns)
    {
        if (netns == null)
        {
            return open();
        }
        return NetNs.inside(netns, RtNetlink::open);
    }

    // ---------------------------------------------------------------- links

    /** The ifindex of {@code name}, or -1 when there is no such device. */
    public int linkIndex(final String name)
    {
        final LinkInfo info = linkInfo(name);
        return info == null ? -1 : info.index();
    }

    public boolean linkExists(final String name)
    {
        return linkInfo(name) != null;
    }

    /** The device called {@code name}, or null when there is none. */
    public LinkInfo linkInfo(final String name)
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS).finish();
        final LinkInfo[] found = new LinkInfo[1];
        try
        {
            request(length, "get link " + name, (buffer, offset, len, type) -> {
                if (type == RTM_NEWLINK)
                {
                    found[0] = decodeLink(buffer, offset, len);
                }
            });
        }
        catch (final NetlinkException ex)
        {
            if (ex.errno() == NetlinkLibC.ENODEV)
            {
                return null;
            }
            throw ex;
        }
        return found[0];
    }

    /** Every device in this client's namespace. */
    public List<LinkInfo> links()
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_GETLINK,
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, ++seq).ifinfomsg(0, 0, 0)
            .attrInt(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS).finish();
        final List<LinkInfo> links = new ArrayList<>();
        request(length, "list links", (buffer, offset, len, type) -> {
            if (type == RTM_NEWLINK)
            {
                links.add(decodeLink(buffer, offset, len));
            }
        });
        return links;
    }

    /** Create the veth pair {@code a}/{@code b} in this namespace; both ends start down. */
    public void createVeth(final String a, final String b)
    {
        encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
            ++seq).ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, a);
        final int linkInfo = encoder.nestStart(IFLA_LINKINFO);
        encoder.attrString(IFLA_INFO_KIND, "veth");
        final int data = encoder.nestStart(IFLA_INFO_DATA);
        final int peer = encoder.nestStart(VETH_INFO_PEER);
        encoder.ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, b);
        encoder.nestEnd(peer).nestEnd(data).nestEnd(linkInfo);
        request(encoder.finish(), "create veth " + a + "/" + b, null);
    }

    /** Create a Linux bridge called {@code name}, down. */
    public void createBridge(final String name)
    {
        encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
            ++seq).ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name);
        final int linkInfo = encoder.nestStart(IFLA_LINKINFO);
        encoder.attrString(IFLA_INFO_KIND, "bridge").nestEnd(linkInfo);
        request(encoder.finish(), "create bridge " + name, null);
    }

    /** Delete the device {@code name} (for a veth, both ends go). */
    public void deleteLink(final String name)
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).finish();
        request(length, "delete link " + name, null);
    }

    /** Move {@code name} into the namespace open at {@code netnsFd} (see {@link NetNs#open}). */
    public void setLinkNetns(final String name, final int netnsFd)
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_NET_NS_FD, netnsFd).finish();
        request(length, "move link " + name + " to netns fd " + netnsFd, null);
    }

    /** Rename a device (the kernel refuses while it is up: EBUSY). */
    public void setLinkName(final String oldName, final String newName)
    {
        final String op = "rename link " + oldName + " to " + newName;
        final int index = requireIndex(oldName, op);
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(index, 0, 0).attrString(IFLA_IFNAME, newName).finish();
        request(length, op, null);
    }

    /** Set or clear {@code IFF_UP}. */
    public void setLinkUp(final String name, final boolean up)
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, up ? IFF_UP : 0, IFF_UP).attrString(IFLA_IFNAME, name).finish();
        request(length, "set link " + name + (up ? " up" : " down"), null);
    }

    public void setMtu(final String name, final int mtu)
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_MTU, mtu).finish();
        request(length, "set mtu of " + name + " to " + mtu, null);
    }

    /** Set the 48-bit hardware address ({@code 0x02aabbccddee} is {@code 02:aa:bb:cc:dd:ee}). */
    public void setMac(final String name, final long mac)
    {
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrMac(IFLA_ADDRESS, mac).finish();
        request(length, "set mac of " + name, null);
    }

    /** The 48-bit hardware address of {@code name}; a {@link NetlinkException} (ENODEV) when absent. */
    public long mac(final String name)
    {
        final LinkInfo info = linkInfo(name);
        if (info == null)
        {
            throw new NetlinkException(COMPONENT, "get mac of " + name, NetlinkLibC.ENODEV);
        }
        return info.mac();
    }

    /** Enslave {@code name} to {@code bridge}; a null bridge releases it ({@code nomaster}). */
    public void setMaster(final String name, final String bridge)
    {
        final String op = bridge == null ? "release link " + name + " from its master" : "set master of " + name + " to " + bridge;
        final int master = bridge == null ? 0 : requireIndex(bridge, op);
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_MASTER, master).finish();
        request(length, op, null);
    }

    // ---------------------------------------------------------------- addresses and routes

    /** Add {@code ip4/prefixLen} to {@code ifname} (EEXIST when it is there already). */
    public void addAddress(final String ifname, final int ip4, final int prefixLen)
    {
        final String op = "add address " + Ip4.format(ip4) + "/" + prefixLen + " to " + ifname;
        if (prefixLen < 0 || prefixLen > 32)
        {
            throw new NetlinkException(COMPONENT, op, NetlinkLibC.EINVAL);
        }
        final int index = requireIndex(ifname, op);
        final int length = encoder.wrap(socket.sendBuffer()).header(RTM_NEWADDR,
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++seq)
            .ifaddrmsg(AF_INET, prefixLen, RT_SCOPE_UNIVERSE, index)
            .attrIp4(IFA_LOCAL, ip4).attrIp4(IFA_ADDRESS, ip4).finish();
        request(length, op, null);
    }

    /** Add the route {@code dst/len via gateway} to the main table; {@code 0, 0, gw} is the default route. */
    public void addRoute(final int dst, final int len, final int gateway)
    {
        final String op = "add route " + Ip4.format(dst) + "/" + len + " via " + Ip4.format(gateway);
        if (len < 0 || len > 32)
        {
            throw new NetlinkException(COMPONENT, op, NetlinkLibC.EINVAL);
        }
        encoder.wrap(socket.sendBuffer()).header(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++seq)
            .rtmsg(AF_INET, len, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST);
        if (len > 0)
        {
            encoder.attrIp4(RTA_DST, dst);
        }
        encoder.attrIp4(RTA_GATEWAY, gateway);
        request(encoder.finish(), op, null);
    }

    @Override
    public void close()
    {
        socket.close();
    }

    // ---------------------------------------------------------------- internals

    private int requireIndex(final String name, final String op)
    {
        final int index = linkIndex(name);
        if (index < 0)
        {
            throw new NetlinkException(COMPONENT, op, NetlinkLibC.ENODEV, "no device called " + name);
        }
        return index;
    }

    /** Send the request in the send buffer and read replies until its ack, its error or the end of a dump. */
    private void request(final int length, final String op, final MessageHandler handler)
    {
        final int sendErr = socket.send(length);
        if (sendErr != 0)
        {
            throw new NetlinkException(COMPONENT, op, sendErr);
        }
        final UnsafeBuffer buffer = socket.recvBuffer();
        while (true)
        {
            final int n = socket.recv();
            if (n < 0)
            {
                if (-n == NetlinkLibC.EINTR)
                {
                    continue;
                }
                throw new NetlinkException(COMPONENT, op, -n);
            }
            int offset = 0;
            while (offset + NetlinkEncoder.NLMSG_HDRLEN <= n)
            {
                final int len = buffer.getInt(offset);
                if (len < NetlinkEncoder.NLMSG_HDRLEN || offset + len > n)
                {
                    break;
                }
                final int type = buffer.getShort(offset + 4) & 0xffff;
                final int flags = buffer.getShort(offset + 6) & 0xffff;
                if (buffer.getInt(offset + 8) == seq)
                {
                    if (type == NLMSG_ERROR)
                    {
                        final int errno = -buffer.getInt(offset + NetlinkEncoder.NLMSG_HDRLEN);
                        if (errno == 0)
                        {
                            return;
                        }
                        throw new NetlinkException(COMPONENT, op, errno, extAck(buffer, offset, len, flags));
                    }
                    if (type == NLMSG_DONE)
                    {
                        final int errno = len >= NetlinkEncoder.NLMSG_HDRLEN + 4 ?
                            -buffer.getInt(offset + NetlinkEncoder.NLMSG_HDRLEN) : 0;
                        if (errno > 0)
                        {
                            throw new NetlinkException(COMPONENT, op, errno);
                        }
                        return;
                    }
                    if (handler != null && type != NLMSG_NOOP)
                    {
                        handler.onMessage(buffer, offset, len, type);
                    }
                }
                offset += NetlinkEncoder.align(len);
            }
        }
    }

    /** The kernel's extended-ack text ({@code NLMSGERR_ATTR_MSG}) of an error message, or null. */
    private static String extAck(final UnsafeBuffer buffer, final int offset, final int len, final int flags)
    {
        if ((flags & NLM_F_ACK_TLVS) == 0)
        {
            return null;
        }
        final int original = offset + NetlinkEncoder.NLMSG_HDRLEN + 4;
        int at = original + ((flags & NLM_F_CAPPED) != 0 ? NetlinkEncoder.NLMSG_HDRLEN : NetlinkEncoder.align(buffer.getInt(original)));
        final int end = offset + len;
        while (at + NetlinkEncoder.RTA_HDRLEN <= end)
        {
            final int attrLen = buffer.getShort(at) & 0xffff;
            final int attrType = buffer.getShort(at + 2) & 0x3fff;
            if (attrLen < NetlinkEncoder.RTA_HDRLEN || at + attrLen > end)
            {
                break;
            }
            if (attrType == NLMSGERR_ATTR_MSG)
            {
                return cString(buffer, at + NetlinkEncoder.RTA_HDRLEN, attrLen - NetlinkEncoder.RTA_HDRLEN);
            }
            at += NetlinkEncoder.align(attrLen);
        }
        return null;
    }

    static String cString(final UnsafeBuffer buffer, final int at, final int maxLength)
    {
        int n = 0;
        while (n < maxLength && buffer.getByte(at + n) != 0)
        {
            n++;
        }
        final byte[] bytes = new byte[n];
        buffer.getBytes(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Decode an {@code RTM_NEWLINK}/{@code RTM_DELLINK} message at {@code offset}. */
    static LinkInfo decodeLink(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final int ifi = offset + NetlinkEncoder.NLMSG_HDRLEN;
        final int index = buffer.getInt(ifi + 4);
        final int flags = buffer.getInt(ifi + 8);
        String name = null;
        int mtu = 0;
        long mac = -1;
        String kind = null;
        int master = 0;
        final int end = offset + length;
        int at = ifi + IFINFOMSG_LENGTH;
        while (at + NetlinkEncoder.RTA_HDRLEN <= end)
        {
            final int attrLen = buffer.getShort(at) & 0xffff;
            final int attrType = buffer.getShort(at + 2) & 0x3fff;
            if (attrLen < NetlinkEncoder.RTA_HDRLEN || at + attrLen > end)
            {
                break;
            }
            final int payload = at + NetlinkEncoder.RTA_HDRLEN;
            final int payloadLen = attrLen - NetlinkEncoder.RTA_HDRLEN;
            switch (attrType)
            {
                case IFLA_IFNAME:
                    name = cString(buffer, payload, payloadLen);
                    break;
                case IFLA_MTU:
                    mtu = buffer.getInt(payload);
                    break;
                case IFLA_MASTER:
                    master = buffer.getInt(payload);
                    break;
                case IFLA_ADDRESS:
                    if (payloadLen == 6)
                    {
                        long m = 0;
                        for (int i = 0; i < 6; i++)
                        {
                            m = (m << 8) | (buffer.getByte(payload + i) & 0xff);
                        }
                        mac = m;
                    }
                    break;
                case IFLA_LINKINFO:
                    kind = linkKind(buffer, payload, payload + payloadLen);
                    break;
                default:
                    break;
            }
            at += NetlinkEncoder.align(attrLen);
        }
        final boolean up = (flags & IFF_UP) != 0;
        final boolean running = up && (flags & (IFF_RUNNING | IFF_LOWER_UP)) != 0;
        return new LinkInfo(name, index, up, running, mtu, mac, kind, master);
    }

    private static String linkKind(final UnsafeBuffer buffer, final int from, final int end)
    {
        int at = from;
        while (at + NetlinkEncoder.RTA_HDRLEN <= end)
        {
            final int attrLen = buffer.getShort(at) & 0xffff;
            if (attrLen < NetlinkEncoder.RTA_HDRLEN || at + attrLen > end)
            {
                break;
            }
            if ((buffer.getShort(at + 2) & 0x3fff) == IFLA_INFO_KIND)
            {
                return cString(buffer, at + NetlinkEncoder.RTA_HDRLEN, attrLen - NetlinkEncoder.RTA_HDRLEN);
            }
            at += NetlinkEncoder.align(attrLen);
        }
        return null;
    }
}
