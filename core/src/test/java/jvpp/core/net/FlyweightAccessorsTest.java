package jvpp.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The flyweights' static accessors against the byte-wise reading of each field and a full checksum. */
class FlyweightAccessorsTest
{
    private final Random random = new Random(7);

    @Test
    void shouldReadTheIp4FirstWordAsItsFields()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        new Ip4Flyweight().wrap(b, 3).writeHeader(1234, 9, Ip4.PROTO_UDP, 0x0a000001, 0x0a000002);
        b.putByte(3, (byte)0x46);
        final int word = Ip4Flyweight.firstWord(b, 3);
        assertEquals(4, Ip4Flyweight.versionOf(word));
        assertEquals(24, Ip4Flyweight.headerLengthOf(word));
        assertEquals(24, Ip4Flyweight.headerLength(b, 3));
        assertEquals(1234, Ip4Flyweight.totalLengthOf(word));
        assertEquals(1234, Ip4Flyweight.totalLength(b, 3));
        assertEquals(9, Ip4Flyweight.ttl(b, 3));
        assertEquals(Ip4.PROTO_UDP, Ip4Flyweight.protocol(b, 3));
        assertEquals(0x0a000001, Ip4Flyweight.src(b, 3));
        assertEquals(0x0a000002, Ip4Flyweight.dst(b, 3));
    }

    @Test
    void shouldWriteTheHeaderOfALaterFragmentWithOnlyTheCopiedOptionsPaddedWithEnd()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        new Ip4Flyweight().wrap(b, 2).writeHeader(100, 9, Ip4.PROTO_UDP, 0x0a000001, 0x0a000002);
        // NOP, a not-copied option of 4 bytes, a copied one of 3: IHL 7.
        final byte[] options = {1, 0x44, 4, 1, 2, (byte)0x83, 3, 5};
        b.putBytes(22, options);
        Ip4Flyweight.headerLength(b, 2, 28);
        Ip4Flyweight.flagsFragment(b, 2, Ip4Flyweight.FLAG_MF | 0x123);
        Ip4Flyweight.fillChecksum(b, 2, 28);
        assertEquals(0x47, b.getByte(2) & 0xff);
        assertEquals(0x2123, b.getShort(8, ByteOrder.BIG_ENDIAN) & 0xffff);
        assertEquals(0xffff, Ip4.onesSum(b, 2, 28), "checksum filled");
        assertEquals(24, Ip4Flyweight.laterFragmentHeader(b, 2, null, 0), "measured without writing");
        assertEquals(24, Ip4Flyweight.laterFragmentHeader(b, 2, b, 64));
        assertEquals(0x46, b.getByte(64) & 0xff, "IHL 6");
        for (int i = 1; i < 20; i++)
        {
            assertEquals(b.getByte(2 + i), b.getByte(64 + i), "fixed header byte " + i);
        }
        assertEquals((byte)0x83, b.getByte(84));
        assertEquals(3, b.getByte(85));
        assertEquals(5, b.getByte(86));
        assertEquals(Ip4Flyweight.OPTION_END, b.getByte(87), "padding");
        b.putByte(28, (byte)9);
        assertEquals(-1, Ip4Flyweight.laterFragmentHeader(b, 2, null, 0), "an option's length past the header");
        b.putByte(28, (byte)1);
        assertEquals(-1, Ip4Flyweight.laterFragmentHeader(b, 2, null, 0), "an option's length under 2");
    }

    @Test
    void shouldVerifyHeaderChecksumsAsTheGeneralSumDoes()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        for (int round = 0; round < 5000; round++)
        {
            final int at = random.nextInt(8);
            for (int i = 0; i < 24; i++)
            {
                b.putByte(at + i, (byte)random.nextInt());
            }
            final int ihl = random.nextBoolean() ? 20 : 24;
            if (random.nextBoolean())
            {
                Ip4Flyweight.checksum(b, at, 0);
                Ip4Flyweight.checksum(b, at, Ip4.checksum(b, at, ihl));
            }
            assertEquals(Ip4.onesSum(b, at, ihl) == 0xffff, Ip4Flyweight.checksumValid(b, at, ihl), "round " + round);
        }
    }

    @Test
    void shouldKeepTheChecksumValidWhenDecrementingTtlOrAnsweringAnEcho()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        for (int round = 0; round < 5000; round++)
        {
            final int ttl = 2 + random.nextInt(254);
            new Ip4Flyweight().wrap(b, 0).writeHeader(20 + 16, ttl, Ip4.PROTO_ICMP, random.nextInt(), random.nextInt());
            Ip4Flyweight.decrementTtl(b, 0);
            assertEquals(ttl - 1, Ip4Flyweight.ttl(b, 0));
            assertTrue(Ip4Flyweight.checksumValid(b, 0, 20), "ttl " + ttl);

            Icmp4Flyweight.writeHeader(b, 20, Icmp4Flyweight.TYPE_ECHO_REQUEST, 0, random.nextInt());
            b.putLong(28, random.nextLong());
            Icmp4Flyweight.fillChecksum(b, 20, 16);
            assertTrue(Icmp4Flyweight.checksumValid(b, 20, 16));
            Icmp4Flyweight.echoRequestToReply(b, 20);
            assertEquals(Icmp4Flyweight.TYPE_ECHO_REPLY, Icmp4Flyweight.type(b, 20));
            assertTrue(Icmp4Flyweight.checksumValid(b, 20, 16), "round " + round);
        }
    }

    @Test
    void shouldReadAndWriteEthernetFieldsAsTheBytesSay()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
        for (int i = 0; i < 32; i++)
        {
            b.putByte(i, (byte)random.nextInt());
        }
        assertEquals(MacAddress.read(b, 2), EthernetFlyweight.dst(b, 2));
        assertEquals(MacAddress.read(b, 8), EthernetFlyweight.src(b, 2));
        assertEquals(b.getShort(14, ByteOrder.BIG_ENDIAN) & 0xffff, EthernetFlyweight.type(b, 2));

        EthernetFlyweight.putVlanTag(b, 2, EthernetFlyweight.TYPE_DOT1AD << 16 | 0x2123);
        assertEquals(EthernetFlyweight.TYPE_DOT1AD, EthernetFlyweight.type(b, 2));
        assertTrue(EthernetFlyweight.isVlanType(EthernetFlyweight.type(b, 2)));
        assertFalse(EthernetFlyweight.isVlanType(EthernetFlyweight.TYPE_IP4));
        assertEquals(0x123, EthernetFlyweight.vlanId(b, 2));
        assertEquals(b.getShort(18, ByteOrder.BIG_ENDIAN) & 0xffff, EthernetFlyweight.innerType(b, 2));

        final UnsafeBuffer header = new UnsafeBuffer(new byte[16]);
        new EthernetFlyweight().wrap(header, 0).dst(0x0200_0000_0001L).src(0x0200_0000_0002L).type(EthernetFlyweight.TYPE_IP4);
        EthernetFlyweight.putHeader(b, 1, header.getLong(0, ByteOrder.nativeOrder()), header.getLong(8, ByteOrder.nativeOrder()));
        assertEquals(0x0200_0000_0001L, EthernetFlyweight.dst(b, 1));
        assertEquals(0x0200_0000_0002L, EthernetFlyweight.src(b, 1));
        assertEquals(EthernetFlyweight.TYPE_IP4, EthernetFlyweight.type(b, 1));
    }

    @Test
    void shouldWriteUdpLengthsAndIcmpRestBigEndian()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        UdpFlyweight.length(b, 2, 0x1234);
        assertEquals(0x12, b.getByte(2 + UdpFlyweight.LENGTH_OFFSET));
        assertEquals(0x1234, UdpFlyweight.length(b, 2));
        Icmp4Flyweight.writeHeader(b, 0, Icmp4Flyweight.TYPE_DEST_UNREACHABLE, 4, 1500);
        assertEquals(0, b.getShort(Icmp4Flyweight.REST_OFFSET));
        assertEquals(1500, b.getShort(Icmp4Flyweight.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN));
        assertEquals(Icmp4Flyweight.TYPE_DEST_UNREACHABLE, Icmp4Flyweight.type(b, 0));
        assertTrue(Icmp4Flyweight.isQuery(Icmp4Flyweight.TYPE_TIMESTAMP_REPLY));
        assertFalse(Icmp4Flyweight.isQuery(Icmp4Flyweight.TYPE_TIME_EXCEEDED));
    }
}
