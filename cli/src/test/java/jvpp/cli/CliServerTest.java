package jvpp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import jvpp.core.Jvpp;
import jvpp.core.log.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CliServerTest
{
    @TempDir
    Path dir;

    private Jvpp vpp;
    private Thread mainThread;
    private CliServer server;
    private Path socket;

    @BeforeEach
    void setUp() throws IOException
    {
        Log.console(false);
        vpp = Jvpp.create(new Jvpp.Context().buffers(2048).hugepages(false));
        mainThread = new Thread(() ->
        {
            vpp.enterMainThread();
            vpp.main().run();
        }, "test-main");
        mainThread.start();
        socket = dir.resolve("run/cli.sock");
        server = CliServer.start(vpp, socket);
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        if (server != null)
        {
            server.close();
        }
        vpp.main().stop();
        mainThread.join(5000);
        vpp.close();
    }

    @Test
    void shouldRunShowVersionWhenConnected() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            final CliReply r = c.execute("show version");
            assertEquals(CliProtocol.STATUS_OK, r.status());
            assertTrue(r.output().startsWith("jvpp v"), r.output());
        }
    }

    @Test
    void shouldFailWithUnknownInputWhenCommandIsBogus() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            final CliReply r = c.execute("show bogus");
            assertEquals(CliProtocol.STATUS_FAILED, r.status());
            assertEquals("show: unknown input `bogus'\n", r.output());
        }
    }

    @Test
    void shouldAcceptUniquePrefixesWhenWordsAreAbbreviated() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            final CliReply r = c.execute("sh ver");
            assertTrue(r.ok());
            assertTrue(r.output().startsWith("jvpp v"), r.output());
        }
    }

    @Test
    void shouldCarryManyRequestsWhenOneConnectionIsReused() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            for (int i = 0; i < 50; i++)
            {
                assertEquals("hello " + i + "\n", c.execute("echo hello " + i).output());
            }
        }
    }

    @Test
    void shouldCompleteCommandWordsWhenAskedForCandidates() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            assertTrue(c.complete("sh").contains("show"), c.complete("sh").toString());
            final List<String> afterShow = c.complete("show ");
            assertTrue(afterShow.contains("version"), afterShow.toString());
            assertTrue(afterShow.contains("interface"), afterShow.toString());
            assertEquals(List.of("version"), c.complete("show ver"));
            assertEquals(List.of(), c.complete("nosuch "));
        }
    }

    @Test
    void shouldListNextWordsWhenAskedForHelp() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            final String help = c.help("show ");
            assertTrue(help.contains("show version"), help);
            assertTrue(help.contains("Show the jvpp version"), help);
        }
    }

    @Test
    void shouldMakeSocketGroupReadableWritableWhenListening() throws IOException
    {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void shouldReplaceSocketFileWhenItIsStale() throws IOException
    {
        server.close();
        final Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "a closed server leaves its socket file behind");
        server = CliServer.start(vpp, stale);
        try (CliClient c = CliClient.connect(stale))
        {
            assertTrue(c.execute("show version").ok());
        }
    }

    @Test
    void shouldRefuseToStartWhenAnotherServerIsLive()
    {
        final IOException ex = assertThrows(IOException.class, () -> CliServer.start(vpp, socket));
        assertEquals("cli-listen " + socket.toAbsolutePath() + ": another jvpp is already listening", ex.getMessage());
        assertTrue(Files.exists(socket), "the live server's socket must stay");
    }

    @Test
    void shouldRefuseToDeleteWhenPathIsARegularFile() throws IOException
    {
        final Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        final IOException ex = assertThrows(IOException.class, () -> CliServer.start(vpp, file));
        assertTrue(ex.getMessage().endsWith("exists and is not a socket"), ex.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void shouldCloseSessionWhenQuitIsSent() throws IOException
    {
        try (CliClient c = CliClient.connect(socket))
        {
            final CliReply r = c.execute("quit");
            assertTrue(r.quit());
            assertTrue(r.ok());
            assertThrows(IOException.class, () -> c.execute("show version"));
        }
        try (CliClient c = CliClient.connect(socket))
        {
            assertTrue(c.execute("show version").ok(), "quit ends the session, not the server");
        }
    }

    @Test
    void shouldRemoveSocketFileWhenClosed()
    {
        server.close();
        assertFalse(Files.exists(socket));
        server.close();
    }

    @Test
    void shouldPrintOutputExactlyWhenJvppCtlRunsOneCommand()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = JvppCtl.run(new String[] {"-s", socket.toString(), "echo", "a", "b"}, print(out), print(err));
        assertEquals(JvppCtl.EXIT_OK, status);
        assertEquals("a b\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitOneWhenJvppCtlCommandFails()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status = JvppCtl.run(new String[] {"-s", socket.toString(), "show", "bogus"}, print(out),
            print(new ByteArrayOutputStream()));
        assertEquals(JvppCtl.EXIT_FAILED, status);
        assertEquals("show: unknown input `bogus'\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitTwoWhenNoDaemonListens()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Path missing = dir.resolve("missing.sock");
        final int status = JvppCtl.run(new String[] {"-s", missing.toString(), "show", "version"},
            print(new ByteArrayOutputStream()), print(err));
        assertEquals(JvppCtl.EXIT_NO_DAEMON, status);
        assertEquals("jvppctl: cannot connect to " + missing
            + ": is jvpp running? (start it with bin/jvpp -c <startup.conf>)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRunEveryLineWhenStdinIsNotATerminal()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final String script = "echo one\nshow bogus\n# a comment\necho { two\n three }\n";
        final int status = JvppCtl.run(new String[] {"-s", socket.toString()},
            new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), print(out),
            print(new ByteArrayOutputStream()), false);
        assertEquals(JvppCtl.EXIT_FAILED, status);
        assertEquals("one\nshow: unknown input `bogus'\n{ two three }\n", out.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(final ByteArrayOutputStream bytes)
    {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
