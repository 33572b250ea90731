package jvpp.core.cli;

import static jvpp.core.testing.TestJvpp.fails;
import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinCommandsTest
{
    private final Jvpp vpp = TestJvpp.create(1024);

    @TempDir
    Path dir;

    @AfterEach
    void close()
    {
        vpp.close();
    }

    @Test
    void shouldRunAFileAndStopAtTheFirstFailingLine() throws Exception
    {
        final Path file = dir.resolve("setup.cli");
        Files.writeString(file, "echo one\n# comment\ncomment { a\n b }\necho two\nshow bogus\necho three\n");
        final String out = fails(vpp, "exec " + file);
        assertEquals("one\ntwo\nexec: CLI line error: show: unknown input `bogus' [" + file + ":6]\n", out);
    }

    @Test
    void shouldSayWhenTheFileCannotBeOpened()
    {
        assertEquals("exec: failed to open `/nonexistent/x.cli'\n", fails(vpp, "exec /nonexistent/x.cli"));
    }

    @Test
    void shouldEchoAndQuit()
    {
        assertEquals("hello world\n", ok(vpp, "echo hello world"));
        assertTrue(vpp.execute("quit").quit());
        assertTrue(ok(vpp, "show version").startsWith("jvpp v"));
    }
}
