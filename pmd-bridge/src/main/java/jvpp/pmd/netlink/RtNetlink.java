package jvpp.pmd.netlink;

import java.util.ArrayList;
import java.util.List;
import jvpp.core.net.Ip4;

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

    /** Receives each reply message of a request, the reader on it. */
    @FunctionalInterface
    interface MessageHandler
    {
        void onMessage(NetlinkReader reply);
    }

    private final NetlinkSocket socket;
    private final NetlinkEncoder encoder = new NetlinkEncoder();
    private final NetlinkReader reader = new NetlinkReader();
    private final RtAttrReader attributes = new RtAttrReader();
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
        final int length = encoder.header(socket.sendBuffer(), RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS).finish();
        final LinkInfo[] found = new LinkInfo[1];
        try
        {
            request(length, "get link " + name, reply -> {
                if (reply.type() == RTM_NEWLINK)
                {
                    found[0] = decodeLink(reply, attributes);
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
        final int length = encoder.header(socket.sendBuffer(), RTM_GETLINK,
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, ++seq).ifinfomsg(0, 0, 0)
            .attrInt(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS).finish();
        final List<LinkInfo> links = new ArrayList<>();
        request(length, "list links", reply -> {
            if (reply.type() == RTM_NEWLINK)
            {
                links.add(decodeLink(reply, attributes));
            }
        });
        return links;
    }

    /** Create the veth pair {@code a}/{@code b} in this namespace; both ends start down. */
    public void createVeth(final String a, final String b)
    {
        createVeth(a, b, -1);
    }

    /**
     * Create the veth pair {@code a}/{@code b} with {@code b} made directly in the namespace {@code peerNetnsFd}
     * refers to (-1: this namespace), as {@code ip link add a type veth peer name b netns X} does: {@code b} never
     * exists here, so it may share its name with a device of this namespace (a container's {@code eth0}). Both
     * ends start down.
     */
    public void createVeth(final String a, final String b, final int peerNetnsFd)
    {
        encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
            ++seq).ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, a);
        final int linkInfo = encoder.attrStart(IFLA_LINKINFO);
        encoder.attrString(IFLA_INFO_KIND, "veth");
        final int data = encoder.attrStart(IFLA_INFO_DATA);
        final int peer = encoder.attrStart(VETH_INFO_PEER);
        encoder.ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, b);
        if (peerNetnsFd >= 0)
        {
            encoder.attrInt(IFLA_NET_NS_FD, peerNetnsFd);
        }
        encoder.attrEnd(peer).attrEnd(data).attrEnd(linkInfo);
        request(encoder.finish(), "create veth " + a + "/" + b, null);
    }

    /** Create a Linux bridge called {@code name}, down. */
    public void createBridge(final String name)
    {
        encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
            ++seq).ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name);
        final int linkInfo = encoder.attrStart(IFLA_LINKINFO);
        encoder.attrString(IFLA_INFO_KIND, "bridge").attrEnd(linkInfo);
        request(encoder.finish(), "create bridge " + name, null);
    }

    /** Delete the device {@code name} (for a veth, both ends go). */
    public void deleteLink(final String name)
    {
        final int length = encoder.header(socket.sendBuffer(), RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).finish();
        request(length, "delete link " + name, null);
    }

    /** Move {@code name} into the namespace open at {@code netnsFd} (see {@link NetNs#open}). */
    public void setLinkNetns(final String name, final int netnsFd)
    {
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_NET_NS_FD, netnsFd).finish();
        request(length, "move link " + name + " to netns fd " + netnsFd, null);
    }

    /** Rename a device (the kernel refuses while it is up: EBUSY). */
    public void setLinkName(final String oldName, final String newName)
    {
        final String op = "rename link " + oldName + " to " + newName;
        final int index = requireIndex(oldName, op);
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(index, 0, 0).attrString(IFLA_IFNAME, newName).finish();
        request(length, op, null);
    }

    /** Set or clear {@code IFF_UP}. */
    public void setLinkUp(final String name, final boolean up)
    {
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, up ? IFF_UP : 0, IFF_UP).attrString(IFLA_IFNAME, name).finish();
        request(length, "set link " + name + (up ? " up" : " down"), null);
    }

    public void setMtu(final String name, final int mtu)
    {
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
            .ifinfomsg(0, 0, 0).attrString(IFLA_IFNAME, name).attrInt(IFLA_MTU, mtu).finish();
        request(length, "set mtu of " + name + " to " + mtu, null);
    }

    /** Set the 48-bit hardware address ({@code 0x02aabbccddee} is {@code 02:aa:bb:cc:dd:ee}). */
    public void setMac(final String name, final long mac)
    {
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
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
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ++seq)
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
        final int length = encoder.header(socket.sendBuffer(), RTM_NEWADDR,
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
        encoder.header(socket.sendBuffer(), RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++seq)
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
            final NetlinkReader reply = reader.wrap(socket.recvBuffer());
            while (reply.next())
            {
                if (reply.seq() != seq)
                {
                    continue;
                }
                final int type = reply.type();
                if (type == NLMSG_ERROR)
                {
                    final int errno = reply.errno();
                    if (errno == 0)
                    {
                        return;
                    }
                    throw new NetlinkException(COMPONENT, op, errno, extAck(reply, attributes));
                }
                if (type == NLMSG_DONE)
                {
                    final int errno = reply.errno();
                    if (errno > 0)
                    {
                        throw new NetlinkException(COMPONENT, op, errno);
                    }
                    return;
                }
                if (handler != null && type != NLMSG_NOOP)
                {
                    handler.onMessage(reply);
                }
            }
        }
    }

    /**
     * The kernel's extended-ack text ({@code NLMSGERR_ATTR_MSG}) of an error message, or null. After the errno
     * comes the request it refers to (only its header when {@code NLM_F_CAPPED}), then the ack's attributes.
     */
    static String extAck(final NetlinkReader error, final RtAttrReader attrs)
    {
        final int flags = error.flags();
        if ((flags & NLM_F_ACK_TLVS) == 0)
        {
            return null;
        }
        final int original = NetlinkEncoder.NLMSG_HDRLEN + 4;
        final int originalLength = (flags & NLM_F_CAPPED) != 0 ? NetlinkEncoder.NLMSG_HDRLEN :
            NetlinkEncoder.align(error.message().getIntLE(original));
        error.attributes(original + originalLength, attrs);
        while (attrs.next())
        {
            if (attrs.type() == NLMSGERR_ATTR_MSG)
            {
                return attrs.string();
            }
        }
        return null;
    }

    /** Decode an {@code RTM_NEWLINK}/{@code RTM_DELLINK} message, reading its attributes with {@code attrs}. */
    static LinkInfo decodeLink(final NetlinkReader message, final RtAttrReader attrs)
    {
        final int ifi = NetlinkEncoder.NLMSG_HDRLEN;
        final int index = message.message().getIntLE(ifi + 4);
        final int flags = message.message().getIntLE(ifi + 8);
        String name = null;
        int mtu = 0;
        long mac = -1;
        String kind = null;
        int master = 0;
        message.attributes(ifi + IFINFOMSG_LENGTH, attrs);
        while (attrs.next())
        {
            switch (attrs.type())
            {
                case IFLA_IFNAME:
                    name = attrs.string();
                    break;
                case IFLA_MTU:
                    mtu = attrs.intValue();
                    break;
                case IFLA_MASTER:
                    master = attrs.intValue();
                    break;
                case IFLA_ADDRESS:
                    mac = attrs.mac();
                    break;
                case IFLA_LINKINFO:
                    kind = linkKind(new RtAttrReader().wrap(attrs.payload()));
                    break;
                default:
                    break;
            }
        }
        final boolean up = (flags & IFF_UP) != 0;
        final boolean running = up && (flags & (IFF_RUNNING | IFF_LOWER_UP)) != 0;
        return new LinkInfo(name, index, up, running, mtu, mac, kind, master);
    }

    /** {@code IFLA_INFO_KIND} of an {@code IFLA_LINKINFO}: "veth", "bridge", ...; null when absent. */
    private static String linkKind(final RtAttrReader linkInfo)
    {
        while (linkInfo.next())
        {
            if (linkInfo.type() == IFLA_INFO_KIND)
            {
                return linkInfo.string();
            }
        }
        return null;
    }
}
