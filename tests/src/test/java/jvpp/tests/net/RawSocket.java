package jvpp.tests.net;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jvpp.pmd.netlink.NetNs;
import jvpp.pmd.sys.NetLibC;

/**
 * An AF_PACKET socket bound to one interface, for sending hand-made frames exactly as written (no kernel
 * header, no padding; frames shorter than an Ethernet header are padded to 14 bytes by the kernel). Made
 * inside a namespace with {@link #openIn}; the socket stays there.
 */
public final class RawSocket implements AutoCloseable
{
    private static final int ETH_P_ALL = 0x0003;
    private final int fd;
    private final Memory buffer = new Memory(65536);

    private RawSocket(final int fd)
    {
        this.fd = fd;
    }

    /** A socket on {@code ifname} in namespace {@code ns}. */
    public static RawSocket openIn(final String ns, final String ifname)
    {
        return NetNs.inside(ns, () -> open(ifname));
    }

    private static RawSocket open(final String ifname)
    {
        final int index = NetLibC.if_nametoindex(ifname);
        if (index == 0)
        {
            throw new IllegalStateException("no interface " + ifname);
        }
        final int fd = NetLibC.socket(NetLibC.AF_PACKET, NetLibC.SOCK_RAW | NetLibC.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IllegalStateException(NetLibC.describe("socket(AF_PACKET)", NetLibC.errno()));
        }
        try (Memory sll = new Memory(20))
        {
            sll.clear();
            sll.setShort(0, (short)NetLibC.AF_PACKET);
            sll.setShort(2, NetLibC.htons(ETH_P_ALL));
            sll.setInt(4, index);
            if (NetLibC.bind(fd, Pointer.nativeValue(sll), 20) < 0)
            {
                final int err = NetLibC.errno();
                NetLibC.close(fd);
                throw new IllegalStateException(NetLibC.describe("bind to " + ifname, err));
            }
        }
        return new RawSocket(fd);
    }

    /** Send {@code frame} as it is; the kernel's error (EMSGSIZE for a frame over the MTU) is thrown. */
    public void send(final byte[] frame)
    {
        buffer.write(0, frame, 0, frame.length);
        if (NetLibC.sendto(fd, Pointer.nativeValue(buffer), frame.length, 0, 0, 0) != frame.length)
        {
            throw new IllegalStateException(NetLibC.describe("send " + frame.length + " bytes", NetLibC.errno()));
        }
    }

    @Override
    public void close()
    {
        NetLibC.close(fd);
        buffer.close();
    }
}
