package jvpp.nodes;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import jvpp.core.testing.VlibGraph;
import jvpp.nodes.testing.CaptureInterface;
import jvpp.nodes.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code show vlib graph} on a booted instance with graph-nodes: the ip4 path a routed packet takes, from
 * ethernet-input to the tx node of the interface it leaves by, including interface-output's arc to that tx node,
 * which is added when the interface is created.
 */
class VlibGraphTest
{
    private static final long IF1_MAC = 0x0200_0000_0101L;
    private static final long IF2_MAC = 0x0200_0000_0201L;
    private static final long HOST1_MAC = 0x0200_0000_0102L;

    private Jvpp vpp;
    private CaptureInterface if2;

    @BeforeEach
    void boot()
    {
        vpp = TestJvpp.create(4096);
        final CaptureInterface if1 = CaptureInterface.create(vpp, "if1", IF1_MAC);
        if2 = CaptureInterface.create(vpp, "if2", IF2_MAC);
        ok(vpp, "set interface ip address if1 10.0.1.1/24");
        ok(vpp, "set interface ip address if2 10.0.2.1/24");
        ok(vpp, "set ip neighbor if2 10.0.2.2 02:00:00:00:02:02 static");
        if1.receive(Frames.ip4(IF1_MAC, HOST1_MAC, "10.0.1.2", "10.0.2.2", 64, 17, new byte[18]));
        TestJvpp.drain(vpp);
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    @Test
    void shouldShowTheIp4PathFromEthernetInputToTheTxNodeInVppsColumns()
    {
        assertEquals(1, if2.take().size(), "the packet went the path below");
        final String[] path = {"ethernet-input", "ip4-input", "ip4-lookup", "ip4-rewrite", "interface-output", "if2-tx"};
        final int[] arcs = VlibGraph.parse(ok(vpp, "show vlib graph")).assertPath(path);
        for (int i = 0; i < arcs.length; i++)
        {
            assertEquals(vpp.graph().nexts(vpp.graph().index(path[i])).indexOf(path[i + 1]), arcs[i],
                "the arc index printed for " + path[i] + " -> " + path[i + 1]);
        }
        final String txNode = ok(vpp, "show vlib graph if2-tx");
        assertEquals("           Name                      Next                    Previous\n"
            + "if2-tx                        ethernet-input [0]         interface-output\n", txNode,
            "the capture port's tx node loops back to ethernet-input");
    }
}
