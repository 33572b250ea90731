package jvpp.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import jvpp.conf.testing.JvppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots {@link Main} as a child JVM, the way bin/jvpp does, and drives it over its CLI socket. */
final class MainProcessTest
{
    @TempDir
    Path dir;

    private final List<JvppProcess> children = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException
    {
        for (final JvppProcess p : children)
        {
            p.close();
        }
    }

    private JvppProcess start(final Path conf) throws IOException
    {
        final JvppProcess p = JvppProcess.start(conf, dir);
        children.add(p);
        return p;
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
        final JvppProcess p = start(conf);
        assertEquals(1, p.awaitExit());
        assertEquals(conf + ":2: unknown input `nodaemn'\n", p.stderr());
    }

    @Test
    void shouldServeCliAndRemoveSocketWhenTerminated() throws Exception
    {
        final Path socket = dir.resolve("run/cli.sock");
        final Path conf = write("good.conf",
            "unix { nodaemon cli-listen " + socket + " }",
            "buffers { buffers-per-numa 1024 page-size 4k }");
        final JvppProcess p = start(conf);
        p.awaitSocket(socket);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        final JvppProcess.Ctl version = JvppProcess.ctl(socket, "show", "version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("jvpp v"), version.out());

        final JvppProcess.Ctl bogus = JvppProcess.ctl(socket, "show", "bogus");
        assertEquals(1, bogus.status());
        assertEquals("show: unknown input `bogus'\n", bogus.out());

        p.terminate();
        assertFalse(Files.exists(socket), "shutdown must remove the socket file");
        assertTrue(p.stderr().contains("CLI listening on " + socket), p.stderr());
    }

    @Test
    void shouldExitOneNamingScriptLineWhenStartupConfigFails() throws Exception
    {
        final Path socket = dir.resolve("cli.sock");
        final Path script = write("setup.cli", "# boot", "show bogus", "echo never");
        final Path conf = write("script.conf",
            "unix { cli-listen " + socket + " startup-config setup.cli }",
            "buffers { buffers-per-numa 1024 page-size 4k }");
        final JvppProcess p = start(conf);
        assertEquals(1, p.awaitExit());
        assertTrue(p.stderr().endsWith(script + ":2: show: unknown input `bogus'\n"), p.stderr());
        assertFalse(p.stdout().contains("never"));
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
        final JvppProcess p = start(conf);
        p.awaitSocket(socket);
        final JvppProcess.Ctl echo = JvppProcess.ctl(socket, "echo", "up");
        assertEquals(0, echo.status());
        assertEquals("up\n", echo.out());
        assertTrue(p.stdout().startsWith("booted\njvpp v"));
        p.terminate();
    }
}
