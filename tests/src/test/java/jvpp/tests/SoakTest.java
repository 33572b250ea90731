package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jvpp.core.testing.Commands;
import jvpp.core.testing.RequiresRoot;
import jvpp.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak CI runs: {@code benchmarks/soak/run.sh 30} (the documented run is 600 s; RELIABILITY.md).
 * Traffic through a booted jvpp (routed, bridged, through a BVI) for 30 s, heap after GC sampled every 10 s;
 * then no heap growth beyond 4 MB, every buffer back after the drain, no unexpected error counter. Root only.
 */
@RequiresRoot("the soak's namespaces and taps")
class SoakTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLeakNothingOverAShortSoak() throws InterruptedException
    {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Commands.Result r;
        try (Subprocess soak = Subprocess.start(Map.of("SOAK_OUT", dir.toString()),
            List.of(root.resolve("benchmarks/soak/run.sh").toString(), "30"), null))
        {
            r = soak.await(Duration.ofMinutes(5));
        }
        final String out = r.output();
        assertFalse(r.timedOut(), out);
        System.out.print(out);
        assertTrue(out.contains("RESULT soak seconds=30 ") && out.contains(" pass=1"), out);
        assertEquals(0, r.status(), out);
    }
}
