package jvpp.pmd.tap;

import static jvpp.core.testing.TestJvpp.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code create tap}'s checks that need no kernel: what it refuses before it opens anything. No root. */
class TapCommandsTest
{
    private final Jvpp vpp = TestJvpp.create(1024);

    @AfterEach
    void close()
    {
        vpp.close();
    }

    @Test
    void shouldRefuseAHostMtuATapWithoutGsoCannotReceive()
    {
        assertEquals("create tap: host-mtu-size 16000 is more than a tap without gso receives (9216)\n",
            fails(vpp, "create tap no-gso host-mtu-size 16000"));
        assertEquals("create tap: host-mtu-size 9217 is more than a tap without gso receives (9216)\n",
            fails(vpp, "create tap host-mtu-size 9217 no-csum-offload"));
    }
}
