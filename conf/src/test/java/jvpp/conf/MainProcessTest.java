package jvpp.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jvpp.cli.JvppCtl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots {@link Main} as a child JVM, the way bin/jvpp does, and drives it over its CLI socket. */
final class MainProcessTest
{
    private static final long BOOT_TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException
    {
        for (final Process p : children)
        {
            if (p.isAlive())
            {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process start(final Path conf) throws IOException
    {
        final List<String> cmd = List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            "jvpp.conf.Main", "-c", conf.toString());
        final Process p = new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile())
            .start();
        children.add(p);
        return p;
    }

    private String stderr() throws IOException
    {
        return Files.readString(dir.resolve("stderr"));
    }

    private Path write(final String name, final String... lines) throws IOException
    {
        final Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void shouldExitOneNamingFileAndLineWhenConfigIsBad() throws Exception
    {
        final Path conf = write("bad.conf", "unix {", "  nodaemn", "}");
        final Process p = start(conf);
        assertTrue(p.waitFor(BOOT_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, p.exitValue());
        assertEquals(conf + ":2: unknown input `nodaemn'\n", stderr());
    }

    @Test
    void shouldServeCliAndRemoveSocketWhenTerminated() throws Exception
    {
        final Path socket = dir.resolve("run/cli.sock");
        final Path conf = write("good.conf",
            "unix { nodaemon cli-listen " + socket + " }",
            "buffers { buffers-per-numa 1024 page-size 4k }");
        final Process p = start(conf);
        awaitSocket(p, socket);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, JvppCtl.run(new String[] {"-s", socket.toString(), "show", "version"}, print(out), print(null)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("jvpp v"), out.toString(StandardCharsets.UTF_8));

        out.reset();
        assertEquals(1, JvppCtl.run(new String[] {"-s", socket.toString(), "show", "bogus"}, print(out), print(null)));
        assertEquals("show: unknown input `bogus'\n", out.toString(StandardCharsets.UTF_8));

        p.destroy();
        assertTrue(p.waitFor(BOOT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "SIGTERM must end the daemon");
        assertFalse(Files.exists(socket), "shutdown must remove the socket file");
        assertTrue(stderr().contains("CLI listening on " + socket), stderr());
    }

    @Test
    void shouldExitOneNamingScriptLineWhenStartupConfigFails() throws Exception
    {
        final Path socket = dir.resolve("cli.sock");
        final Path script = write("setup.cli", "# boot", "show bogus", "echo never");
        final Path conf = write("script.conf",
            "unix { cli-listen " + socket + " startup-config setup.cli }",
            "buffers { buffers-per-numa 1024 page-size 4k }");
        final Process p = start(conf);
        assertTrue(p.waitFor(BOOT_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(stderr().endsWith(script + ":2: show: unknown input `bogus'\n"), stderr());
        assertFalse(Files.readString(dir.resolve("stdout")).contains("never"));
        assertFalse(Files.exists(socket), "a failed boot must not leave its socket behind");
    }

    @Test
    void shouldRunStartupConfigBeforeServingWhenItSucceeds() throws Exception
    {
        final Path socket = dir.resolve("cli.sock");
        write("setup.cli", "echo booted", "comment { multi", "  line }", "show version");
        final Path conf = write("ok.conf",
            "unix { cli-listen " + socket + " startup-config setup.cli }",
            "buffers { buffers-per-numa 1024 page-size 4k }");
        final Process p = start(conf);
        awaitSocket(p, socket);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, JvppCtl.run(new String[] {"-s", socket.toString(), "echo", "up"}, print(out), print(null)));
        assertEquals("up\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(dir.resolve("stdout")).startsWith("booted\njvpp v"));
        p.destroy();
        assertTrue(p.waitFor(BOOT_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }

    private void awaitSocket(final Process p, final Path socket) throws Exception
    {
        final long deadline = System.currentTimeMillis() + BOOT_TIMEOUT_MS;
        while (!Files.exists(socket))
        {
            if (!p.isAlive())
            {
                throw new AssertionError("jvpp exited with " + p.exitValue() + ": " + stderr());
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("no socket after " + BOOT_TIMEOUT_MS + " ms: " + stderr());
            }
            Thread.sleep(50);
        }
    }

    private static PrintStream print(final ByteArrayOutputStream bytes)
    {
        return new PrintStream(bytes == null ? new ByteArrayOutputStream() : bytes, true, StandardCharsets.UTF_8);
    }
}
