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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EthernetInputNodeTest
{
    private Jvpp vpp;
    private final List<Integer> firstBytes = new ArrayList<>();

    private final class L3 extends Node
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

    @Test
    void shouldDropUnregisteredTypesAndRuntsUnderTheirOwnReasons()
    {
        ok(vpp, "packet-generator new { name ip limit 300 node ethernet-input data { IP4: 1.2.3 -> 4.5.6 hex 45 } }");
        ok(vpp, "packet-generator new { name runt limit 7 size 13-13 node ethernet-input data { IP4: 1.2.3 -> 4.5.6 } }");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        assertEquals(300, error("unknown ethernet type"));
        assertEquals(7, error("frame shorter than an Ethernet header"));
        final String errors = ok(vpp, "show errors");
        assertTrue(errors.contains("300  ethernet-input") && errors.contains("unknown ethernet type"), errors);
        assertTrue(ok(vpp, "show runtime").contains("error-drop"));
        assertEquals(0, vpp.pool().used());
    }

    @Test
    void shouldHandFramesPastTheHeaderToTheRegisteredNode()
    {
        vpp.graph().register(NodeRegistration.internal("test-l3", List.of(), List.of(), L3::new));
        vpp.service(EthernetTypes.class).register(0x0800, "test-l3");
        vpp.syncThreads();
        ok(vpp, "packet-generator new { name ip limit 10 node ethernet-input data { IP4: 1.2.3 -> 4.5.6 hex 45aa } }");
        ok(vpp, "packet-generator new { name arp limit 5 node ethernet-input data { ARP: 1.2.3 -> 4.5.6 hex 0001 } }");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        assertEquals(10, firstBytes.size());
        assertTrue(firstBytes.stream().allMatch(b -> b == 0x45));
        assertEquals(5, error("unknown ethernet type"));
    }

    @Test
    void shouldShowEthernetHeadersInTheTrace()
    {
        ok(vpp, "packet-generator new { name ip limit 5 node ethernet-input data { IP4: 00:01:02:03:04:05 -> 00:02:03:04:05:06 hex 45 } }");
        ok(vpp, "trace add pg-input 2");
        ok(vpp, "packet-generator enable-stream");
        TestJvpp.drain(vpp);
        final String trace = ok(vpp, "show trace");
        assertTrue(trace.contains("pg-input\n  stream ip, 15 bytes"), trace);
        assertTrue(trace.contains("ethernet-input\n  IP4: 00:01:02:03:04:05 -> 00:02:03:04:05:06"), trace);
        assertTrue(trace.contains("error-drop\n  rx:local0\n  ethernet-input: unknown ethernet type"), trace);
        assertTrue(trace.contains("Packet 2") && !trace.contains("Packet 3"), trace);
    }
}
