package jvpp.core.buffer;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvpp.core.Jvpp;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferCommandsTest
{
    private final Jvpp vpp = TestJvpp.create(1024);

    @AfterEach
    void close()
    {
        vpp.close();
    }

    @Test
    void shouldAddUpBuffersInShowBuffers()
    {
        final String out = ok(vpp, "show buffers");
        assertTrue(out.contains("default-numa-0") && out.contains("1024"), out);
        assertTrue(out.trim().endsWith(" 0"), out);
        final int[] held = new int[10];
        vpp.mainDispatcher().buffers().alloc(held, 0, 10);
        assertTrue(ok(vpp, "show buffers").trim().endsWith(" 10"));
        vpp.mainDispatcher().buffers().free(held, 0, 10);
    }

    @Test
    void shouldShowTheLiveHeapAfterACollectionInShowMemoryGc()
    {
        final String out = ok(vpp, "show memory gc");
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("heap after gc: used (\\d+), committed (\\d+)")
            .matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(1)) <= Long.parseLong(m.group(2)), out);
        assertTrue(out.contains("buffer arena: ") && out.contains("ordinary pages"), out);
        assertTrue(ok(vpp, "show memory").startsWith("heap: used "));
    }
}
