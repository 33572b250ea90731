package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jvpp.conf.testing.JvppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the shipped no-root demo (conf/pg.conf and its conf/pg.cli) as bin/jvpp would, on a socket of the
 * test's own, and checks what the README promises: pg-input vectors grow, the routed stream leaves through
 * null0, the unroutable one is answered with ICMP errors, buffers add up, and SIGTERM ends it cleanly.
 */
class PgDemoTest
{
    private static final Pattern PG_VECTORS = Pattern.compile("(?m)^pg-input\\s+\\S+\\s+\\d+\\s+(\\d+)");

    @TempDir
    Path dir;

    private static long pgVectors(final Path socket)
    {
        final JvppProcess.Ctl run = JvppProcess.ctl(socket, "sh", "run");
        assertEquals(0, run.status(), run.out());
        final Matcher m = PG_VECTORS.matcher(run.out());
        // Not listed until its first call: the CLI may answer before the main loop's first poll.
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void shouldForwardPacketGeneratorTrafficWhenBootedFromTheDemoConfig() throws Exception
    {
        final Path repo = Path.of(System.getProperty("user.dir")).getParent();
        final Path socket = dir.resolve("cli.sock");
        // The shipped config, with only the socket moved so the test never meets a running jvpp.
        final String shipped = Files.readString(repo.resolve("conf/pg.conf"));
        assertTrue(shipped.contains("startup-config pg.cli"), "conf/pg.conf changed: update this test");
        final Path conf = dir.resolve("pg.conf");
        Files.writeString(conf, shipped.replace("startup-config pg.cli",
            "startup-config " + repo.resolve("conf/pg.cli") + "\n  cli-listen " + socket));
        try (JvppProcess p = JvppProcess.start(conf, dir))
        {
            p.awaitSocket(socket);
            final long deadline = System.currentTimeMillis() + 10_000;
            long first;
            while ((first = pgVectors(socket)) == 0 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(100);
            }
            long second;
            while ((second = pgVectors(socket)) <= first && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(100);
            }
            assertTrue(first > 0 && second > first, "pg-input vectors grow: " + first + " then " + second);

            String errors;
            do
            {
                Thread.sleep(100);
                errors = JvppProcess.ctl(socket, "show", "errors").out();
            }
            while (!errors.contains("ICMP errors sent") && System.currentTimeMillis() < deadline);
            assertTrue(errors.contains("ip4-icmp-error") && errors.contains("ICMP errors sent"), errors);

            final String ifs = JvppProcess.ctl(socket, "show", "interface", "null0").out();
            assertTrue(ifs.contains("tx packets"), ifs);
            final String fib = JvppProcess.ctl(socket, "show", "ip", "fib", "203.0.113.7").out();
            assertTrue(fib.contains("203.0.113.0/24") && fib.contains("ipv4 via 198.19.0.2 null0"), fib);

            assertEquals(0, JvppProcess.ctl(socket, "packet-generator", "disable-stream").status());
            // ICMP errors may still wait in ip4-arp's hold queue: ARP gives up after three requests, a second apart.
            final long drained = System.currentTimeMillis() + 8_000;
            String buffers;
            do
            {
                Thread.sleep(200);
                buffers = JvppProcess.ctl(socket, "show", "buffers").out();
            }
            while (!buffers.trim().endsWith(" 0") && System.currentTimeMillis() < drained);
            assertTrue(buffers.trim().endsWith(" 0"), "no buffer in use once streams stop and ARP gives up:\n" + buffers);

            assertEquals(1, JvppProcess.ctl(socket, "show", "bogus").status());
            p.terminate();
            assertFalse(Files.exists(socket));
        }
    }
}
