package jvpp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

class ContextTest
{
    private static String error(final Jvpp.Context context)
    {
        return assertThrows(IllegalArgumentException.class, context::conclude).getMessage();
    }

    @Test
    void shouldHoldTheDocumentedDefaultsWhenNothingIsSet()
    {
        final Jvpp.Context c = new Jvpp.Context().conclude();
        assertEquals(16384, c.buffers());
        assertEquals(2048, c.dataSize());
        assertTrue(c.hugepages());
        assertEquals(-1, c.mainCore());
        assertArrayEquals(new int[0], c.workerCores());
        assertEquals("busy-spin", c.workerIdle());
        assertInstanceOf(BusySpinIdleStrategy.class, c.workerIdleStrategy().get());
    }

    @Test
    void shouldMakeOneIdleStrategyPerWorkerWhenNamed()
    {
        final Jvpp.Context yield = new Jvpp.Context().workerIdle("yield").conclude();
        assertInstanceOf(YieldingIdleStrategy.class, yield.workerIdleStrategy().get());
        final Jvpp.Context backoff = new Jvpp.Context().workerIdle("backoff").conclude();
        assertInstanceOf(BackoffIdleStrategy.class, backoff.workerIdleStrategy().get());
        assertNotSame(backoff.workerIdleStrategy().get(), backoff.workerIdleStrategy().get(), "backoff keeps state");
    }

    @Test
    void shouldNameTheValidChoicesWhenTheIdleStrategyIsUnknown()
    {
        assertEquals("workerIdle: unknown idle strategy `fast': expected busy-spin, yield or backoff",
            error(new Jvpp.Context().workerIdle("fast")));
        assertEquals("workerIdle: unknown idle strategy `null': expected busy-spin, yield or backoff",
            error(new Jvpp.Context().workerIdle(null)));
        assertEquals("workerIdle: unknown idle strategy `fast': expected busy-spin, yield or backoff",
            assertThrows(IllegalArgumentException.class,
                () -> Jvpp.create(new Jvpp.Context().hugepages(false).workerIdle("fast"))).getMessage(),
            "before anything is allocated");
    }

    @Test
    void shouldNameTheValueWhenOutOfRange()
    {
        assertEquals("buffers: must be between 1 and 4194304, got 0", error(new Jvpp.Context().buffers(0)));
        assertEquals("dataSize: must be between 256 and 65536, got 100", error(new Jvpp.Context().dataSize(100)));
        assertEquals("mainCore: must be between -1 and 4095, got 4096", error(new Jvpp.Context().mainCore(4096)));
        assertEquals("worker core: must be between -1 and 4095, got -2",
            error(new Jvpp.Context().workers(new int[] {1, -2})));
        assertEquals("workers: must be between 0 and 64, got 65", error(new Jvpp.Context().workers(new int[65])));
    }

    @Test
    void shouldAskForConcludeWhenTheIdleStrategyIsReadBefore()
    {
        assertEquals("Jvpp.Context: conclude() first",
            assertThrows(IllegalStateException.class, () -> new Jvpp.Context().workerIdleStrategy()).getMessage());
    }

    @Test
    void shouldKeepOneSettingsObjectPerTypeWhenModulesSetThem()
    {
        final Jvpp.Context c = new Jvpp.Context();
        assertNull(c.settings(String.class), "a section not in the file");
        c.settings(String.class, "first").settings(String.class, "second");
        assertEquals("second", c.settings(String.class), "a later section replaces");
    }
}
