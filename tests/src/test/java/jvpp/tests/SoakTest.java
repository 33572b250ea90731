package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jvpp.tests.net.HostNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak CI runs: {@code benchmarks/soak/run.sh 30} (the documented run is 600 s; RELIABILITY.md).
 * Traffic through a booted jvpp (routed, bridged, through a BVI) for 30 s, heap after GC sampled every 10 s;
 * then no heap growth beyond 4 MB, every buffer back after the drain, no unexpected error counter. Root only.
 */
class SoakTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLeakNothingOverAShortSoak() throws IOException, InterruptedException
    {
        HostNet.requireRoot();
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final ProcessBuilder pb = new ProcessBuilder(root.resolve("benchmarks/soak/run.sh").toString(), "30")
            .redirectErrorStream(true);
        pb.environment().put("SOAK_OUT", dir.toString());
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        System.out.print(out);
        assertTrue(out.contains("RESULT soak seconds=30 ") && out.contains(" pass=1"), out);
        assertEquals(0, p.exitValue(), out);
    }
}
