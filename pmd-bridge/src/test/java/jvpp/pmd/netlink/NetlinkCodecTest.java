package jvpp.pmd.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The netlink encoder and readers on their own, without a socket: no root needed. */
class NetlinkCodecTest
{
    private final ByteBuf buffer = Unpooled.directBuffer(512, 512);
    private final NetlinkEncoder encoder = new NetlinkEncoder();
    private final NetlinkReader reader = new NetlinkReader();
    private final RtAttrReader attrs = new RtAttrReader();

    @AfterEach
    void release()
    {
        buffer.release();
    }

    @Test
    void shouldWriteTheKernelsLayoutWhenEncodingASetLinkUpRequest()
    {
        final int length = encoder.header(buffer, RtNetlink.RTM_NEWLINK, RtNetlink.NLM_F_REQUEST | RtNetlink.NLM_F_ACK,
            0x01020304).ifinfomsg(7, RtNetlink.IFF_UP, RtNetlink.IFF_UP).attrString(RtNetlink.IFLA_IFNAME, "ab")
            .attrIp4(RtNetlink.IFA_LOCAL, 0x0a000001).finish();

        final String expected =
            "30000000" + "1000" + "0500" + "04030201" + "00000000" // nlmsghdr: len 48, RTM_NEWLINK, REQUEST|ACK, seq, pid
            + "00" + "00" + "0000" + "07000000" + "01000000" + "01000000" // ifinfomsg: AF_UNSPEC, index 7, IFF_UP, IFF_UP
            + "0700" + "0300" + "616200" + "00" // IFLA_IFNAME "ab\0", length 7, padded to 8
            + "0800" + "0200" + "0a000001"; // IFA_LOCAL 10.0.0.1 in network order
        assertEquals(48, length);
        assertEquals(expected, ByteBufUtil.hexDump(buffer, 0, length));
    }

    @Test
    void shouldDecodeTheLinkWhenReadingBackWhatWasEncoded()
    {
        encoder.header(buffer, RtNetlink.RTM_NEWLINK, 0, 9).ifinfomsg(5, RtNetlink.IFF_UP | RtNetlink.IFF_RUNNING, 0)
            .attrString(RtNetlink.IFLA_IFNAME, "veth-a").attrInt(RtNetlink.IFLA_MTU, 1400)
            .attrMac(RtNetlink.IFLA_ADDRESS, 0x02_aa_bb_cc_dd_eeL).attrInt(RtNetlink.IFLA_MASTER, 3);
        final int linkInfo = encoder.attrStart(RtNetlink.IFLA_LINKINFO);
        final int length = encoder.attrString(RtNetlink.IFLA_INFO_KIND, "veth").attrEnd(linkInfo).finish();

        assertEquals(0, length % 4, "every attribute padded to 4 bytes");
        reader.wrap(buffer);
        assertTrue(reader.next());
        assertEquals(RtNetlink.RTM_NEWLINK, reader.type());
        assertEquals(9, reader.seq());
        assertEquals(new LinkInfo("veth-a", 5, true, true, 1400, 0x02_aa_bb_cc_dd_eeL, "veth", 3),
            RtNetlink.decodeLink(reader, attrs));
        assertFalse(reader.next());
    }

    @Test
    void shouldStopAtATruncatedMessageWhenWalkingADatagram()
    {
        encoder.header(buffer, RtNetlink.NLMSG_NOOP, 0, 1);
        final int first = encoder.finish();
        final ByteBuf datagram = Unpooled.buffer(64);
        datagram.writeBytes(buffer, 0, first);
        datagram.writeIntLE(100).writeShortLE(RtNetlink.NLMSG_DONE).writeZero(10); // claims 100 bytes, has 16

        reader.wrap(datagram);
        assertTrue(reader.next());
        assertEquals(RtNetlink.NLMSG_NOOP, reader.type());
        assertFalse(reader.next());
    }

    @Test
    void shouldReadTheKernelsTextWhenAnErrorCarriesAnExtendedAck()
    {
        assertEquals("Unknown device type", RtNetlink.extAck(error(RtNetlink.NLM_F_CAPPED, 0), attrs));
        assertEquals("Unknown device type", RtNetlink.extAck(error(0, 8), attrs), "the whole request echoed");
        assertNull(RtNetlink.extAck(errorWithoutTlvs(), attrs));
    }

    @Test
    void shouldGiveTheStringUpToItsNulWhenTheAttributeHasPaddingAfterIt()
    {
        encoder.header(buffer, RtNetlink.RTM_NEWLINK, 0, 1).attrString(RtNetlink.IFLA_IFNAME, "x").finish();
        reader.wrap(buffer);
        assertTrue(reader.next());
        reader.attributes(NetlinkEncoder.NLMSG_HDRLEN, attrs);
        assertTrue(attrs.next());
        assertEquals(RtNetlink.IFLA_IFNAME, attrs.type());
        assertEquals("x", attrs.string());
        assertArrayEquals(new byte[] {'x', 0}, ByteBufUtil.getBytes(attrs.payload()));
    }

    /** An EINVAL NLMSG_ERROR with ext-ack TLVs, echoing the request's header and {@code echoedPayload} bytes. */
    private NetlinkReader error(final int capped, final int echoedPayload)
    {
        final ByteBuf request = Unpooled.buffer(64);
        request.writeIntLE(NetlinkEncoder.NLMSG_HDRLEN + echoedPayload).writeShortLE(RtNetlink.RTM_NEWLINK).writeShortLE(0)
            .writeIntLE(1).writeIntLE(0).writeZero(echoedPayload);
        encoder.header(buffer, RtNetlink.NLMSG_ERROR, capped | RtNetlink.NLM_F_ACK_TLVS, 1);
        buffer.writeIntLE(-NetlinkLibC.EINVAL).writeBytes(request);
        encoder.attrString(RtNetlink.NLMSGERR_ATTR_MSG, "Unknown device type").finish();
        reader.wrap(buffer);
        assertTrue(reader.next());
        assertEquals(NetlinkLibC.EINVAL, reader.errno());
        return reader;
    }

    /** An NLMSG_ERROR the kernel sent without ext-ack TLVs (older kernels, or nothing to say). */
    private NetlinkReader errorWithoutTlvs()
    {
        encoder.header(buffer, RtNetlink.NLMSG_ERROR, RtNetlink.NLM_F_CAPPED, 1);
        buffer.writeIntLE(-NetlinkLibC.EINVAL).writeZero(NetlinkEncoder.NLMSG_HDRLEN);
        encoder.finish();
        reader.wrap(buffer);
        assertTrue(reader.next());
        return reader;
    }
}
