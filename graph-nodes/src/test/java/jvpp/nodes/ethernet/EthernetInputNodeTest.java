package jvpp.nodes.ethernet;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.graph.Frame;
import jvpp.core.graph.Node;
import jvpp.core.graph.NodeRegistration;
import jvpp.core.testing.TestJvpp;
import jvpp.nodes.testing.CaptureInterface;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EthernetInputNodeTest
{
    private Jvpp vpp;
    private final List<Integer> firstBytes = new ArrayList<>();

    private final class Capture extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            for (int i = 0; i < frame.n; i++)
            {
                final int bi = frame.bufs[i];
                firstBytes.add(mem.getByte(bStart[bi]) & 0xff);
                buffers.free(bi);
            }
            return frame.n;
        }
    }

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        CaptureInterface.create(vpp, "loop0", 0xdead_0000_0000L);
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    private long error(final String reason)
    {
        return vpp.mainDispatcher().errorCount(vpp.graph().errorIndex(EthernetInputNode.NAME, reason));
    }

    private void stream(final String name, final int limit, final String rest)
    {
        ok(vpp, "packet-generator new { name " + name + " limit " + limit + " interface loop0 node ethernet-input " + rest + " }");
    }

    @Test
    void shouldDropEachBadFrameUnderItsOwnReason()
    {
        stream("unknown", 300, "data { 0x88b5: 1.2.3 -> de:ad:00:00:00:00 hex 0102 }");
        stream("runt", 7, "size 13-13 data { IP4: 1.2.3 -> de:ad:00:00:00:00 }");
        stream("othermac", 11, "data { IP4: 1.2.3 -> 02:00:00:00:00:99 hex 45 }");
        stream("vlan", 5, "data { VLAN: 1.2.3 -> de:ad:00:00:00:00 hex 0064080045 }");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        assertEquals(300, error("unknown ethernet type"));
        assertEquals(7, error("frame shorter than an Ethernet header"));
        assertEquals(11, error("l3 mac mismatch"));
        assertEquals(5, error("unknown vlan"));
        final String errors = ok(vpp, "show errors");
        assertTrue(errors.contains("300  ethernet-input") && errors.contains("unknown ethernet type"), errors);
        assertTrue(ok(vpp, "show interface loop0").contains("drops"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldHandFramesPastTheHeaderToTheRegisteredNodeForOurBroadcastAndMulticastMacs()
    {
        vpp.graph().register(NodeRegistration.internal("test-l3", List.of(), List.of(), Capture::new));
        vpp.service(EthernetTypes.class).register(0x88b5, "test-l3");
        vpp.syncThreads();
        stream("ours", 10, "data { 0x88b5: 1.2.3 -> de:ad:00:00:00:00 hex 45aa }");
        stream("bcast", 4, "data { 0x88b5: 1.2.3 -> ff:ff:ff:ff:ff:ff hex 46aa }");
        stream("mcast", 3, "data { 0x88b5: 1.2.3 -> 01:00:5e:00:00:01 hex 47aa }");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        assertEquals(17, firstBytes.size());
        assertEquals(10, firstBytes.stream().filter(b -> b == 0x45).count());
        assertEquals(4, firstBytes.stream().filter(b -> b == 0x46).count());
        assertEquals(3, firstBytes.stream().filter(b -> b == 0x47).count());
        assertEquals(0, error("l3 mac mismatch"));
    }

    @Test
    void shouldShowEthernetHeadersInTheTrace()
    {
        stream("s", 5, "data { 0x88b5: 00:01:02:03:04:05 -> de:ad:00:00:00:00 hex 45 }");
        ok(vpp, "trace add pg-input 2");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        final String trace = ok(vpp, "show trace");
        assertTrue(trace.contains("pg-input\n  stream s, 15 bytes, sw_if_index 1"), trace);
        assertTrue(trace.contains("ethernet-input\n  0x88b5: 00:01:02:03:04:05 -> de:ad:00:00:00:00"), trace);
        assertTrue(trace.contains("error-drop\n  rx:loop0\n  ethernet-input: unknown ethernet type"), trace);
        assertTrue(trace.contains("Packet 2") && !trace.contains("Packet 3"), trace);
    }
}
