package jvpp.core.graph;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphCommandsTest
{
    /** VPP's header: Name, Next and Previous centred in 26 columns each. */
    private static final String HEADER = "           Name                      Next                    Previous\n";

    private final Jvpp vpp = TestJvpp.create(1024);

    /** The nodes here are never given a packet: only their arcs are looked at. */
    private static final class Sink extends Node
    {
        @Override
        public int process(final Frame frame)
        {
            return frame.n;
        }
    }

    @BeforeEach
    void nodes()
    {
        final Graph g = vpp.graph();
        g.register(NodeRegistration.input("test-source", List.of("test-pass"), List.of(), Sink::new));
        g.register(NodeRegistration.internal("test-pass", List.of("test-sink", "error-drop"), List.of(), Sink::new));
        g.register(NodeRegistration.internal("test-sink", List.of(), List.of(), Sink::new));
    }

    @AfterEach
    void close()
    {
        vpp.close();
    }

    @Test
    void shouldPrintANodesNextNodesWithTheirArcsAndItsPreviousNodesInVppsColumns()
    {
        assertEquals(HEADER
            + "test-pass                        test-sink [0]              test-source\n"
            + "                                error-drop [1]\n", ok(vpp, "show vlib graph test-pass"));
        assertEquals(HEADER
            + "error-drop                                                 handoff-input\n"
            + "                                                             test-pass\n", ok(vpp, "show vlib graph error-drop"));
    }

    @Test
    void shouldShowArcsAddedAtRunTime()
    {
        assertEquals(HEADER + "test-sink                                                    test-pass\n",
            ok(vpp, "show vlib graph test-sink"));
        assertEquals(0, vpp.graph().addNext("test-sink", "test-source"));
        assertEquals(HEADER + "test-sink                       test-source [0]              test-pass\n",
            ok(vpp, "show vlib graph test-sink"));
        assertTrue(ok(vpp, "show vlib graph test-source").contains(
            "test-source                      test-pass [0]               test-sink\n"));
    }

    @Test
    void shouldListEveryNodeByNameWithABlankLineAfterEach()
    {
        final String all = ok(vpp, "show vlib graph");
        assertTrue(all.startsWith(HEADER + "error-drop "), all);
        assertTrue(all.contains("\n\nhandoff-input                   error-drop [0]\n\ntest-pass "), all);
        assertTrue(all.endsWith("\n\ntest-source                      test-pass [0]\n\n"), all);
    }

    @Test
    void shouldCutANameLongerThanItsColumnAsVppDoes()
    {
        vpp.graph().register(NodeRegistration.internal("a-node-with-a-very-long-name", List.of("test-sink"), List.of(),
            Sink::new));
        assertEquals(HEADER + "a-node-with-a-very-long-na       test-sink [0]\n",
            ok(vpp, "show vlib graph a-node-with-a-very-long-name"));
    }

    @Test
    void shouldRefuseAnUnknownNode()
    {
        assertTrue(fails(vpp, "show vlib graph nope").contains("unknown node `nope'"));
    }
}
