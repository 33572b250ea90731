package jvpp.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Ip4Test
{
    @Test
    void shouldMatchTheTextbookChecksumForEveryLengthAndOffset()
    {
        final Random r = new Random(1);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        for (int round = 0; round < 2000; round++)
        {
            for (int i = 0; i < 128; i++)
            {
                b.putByte(i, (byte)r.nextInt());
            }
            final int off = r.nextInt(8);
            final int len = r.nextInt(100);
            long sum = 0;
            for (int i = 0; i < len; i += 2)
            {
                final int hi = b.getByte(off + i) & 0xff;
                final int lo = i + 1 < len ? b.getByte(off + i + 1) & 0xff : 0;
                sum += (hi << 8) | lo;
            }
            while ((sum >>> 16) != 0)
            {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            assertEquals(~sum & 0xffff, Ip4.checksum(b, off, len), "len " + len + " off " + off);
        }
    }

    @Test
    void shouldFillUdpAndTcpChecksumsThatVerifyWithThePseudoHeader()
    {
        for (final int proto : new int[] {Ip4.PROTO_UDP, Ip4.PROTO_TCP})
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[20 + 40]);
            b.putByte(0, (byte)0x45);
            b.putShort(2, (short)60, java.nio.ByteOrder.BIG_ENDIAN);
            b.putByte(9, (byte)proto);
            b.putInt(12, Ip4.parse("198.18.1.1"), java.nio.ByteOrder.BIG_ENDIAN);
            b.putInt(16, Ip4.parse("198.18.2.1"), java.nio.ByteOrder.BIG_ENDIAN);
            for (int i = 20; i < 60; i++)
            {
                b.putByte(i, (byte)(i * 7));
            }
            assertEquals(true, Ip4.fillL4Checksum(b, 0, 60));
            // Verify: pseudo-header + segment sums to 0xffff.
            long sum = Ip4.onesSum(b, 20, 40) + Ip4.onesSum(b, 12, 8) + proto + 40;
            sum = (sum & 0xffff) + (sum >>> 16);
            sum = (sum & 0xffff) + (sum >>> 16);
            assertEquals(0xffff, sum, "protocol " + proto);
        }
    }

    @Test
    void shouldParseAndFormatAddresses()
    {
        assertEquals(0x0a000001, Ip4.parse("10.0.0.1"));
        assertEquals("192.168.255.1", Ip4.format(Ip4.parse("192.168.255.1")));
        assertThrows(IllegalArgumentException.class, () -> Ip4.parse("10.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> Ip4.parse("10.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Ip4.parse("10.0.0.-1"));
    }

    @Test
    void shouldParseMacAddressesInBothNotations()
    {
        assertEquals(0x000100020003L, MacAddress.parse("1.2.3"));
        assertEquals(0xdead00000001L, MacAddress.parse("de:ad:00:00:00:01"));
        assertEquals("de:ad:00:00:00:01", MacAddress.format(0xdead00000001L));
        assertEquals(-1, MacAddress.parse("de:ad:00:00:00"));
        assertEquals(-1, MacAddress.parse("zz:ad:00:00:00:01"));
    }
}
