package jvpp.pmd.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jvpp.core.testing.Commands;

/**
 * What the root-only tests create on the host (links, namespaces), under unique {@code jvt*} names, and
 * removes again with {@code ip} however the test ended. {@code ip} is used here only, never by the code
 * under test.
 */
final class HostFixture implements AutoCloseable
{
    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    private final List<String> links = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    /** A link name (≤ 15 chars) this fixture deletes on close, e.g. {@code jvta1b2c3}. */
    String link(final String tag)
    {
        final String name = "jvt" + tag + suffix;
        links.add(name);
        return name;
    }

    /** A namespace name this fixture deletes on close. */
    String netns(final String tag)
    {
        final String name = "jvt" + tag + suffix;
        namespaces.add(name);
        return name;
    }

    /** A private /24 (10.x.y.0) unlikely to meet another test's, as an int. */
    int subnet()
    {
        final int x = 200 + ThreadLocalRandom.current().nextInt(50);
        final int y = ThreadLocalRandom.current().nextInt(256);
        return (10 << 24) | (x << 16) | (y << 8);
    }

    @Override
    public void close()
    {
        for (final String link : links)
        {
            if (run("ip", "link", "show", "dev", link).exit == 0)
            {
                run("ip", "link", "del", "dev", link);
            }
        }
        for (final String ns : namespaces)
        {
            if (new java.io.File(NetNs.RUN_NETNS, ns).exists())
            {
                run("ip", "netns", "del", ns);
            }
        }
    }

    record Result(int exit, String output)
    {
    }

    /** Run a command (bounded to 10 s) and return its exit status and merged output. */
    static Result run(final String... command)
    {
        final Commands.Result r = Commands.run(10, command);
        return new Result(r.status(), r.output());
    }
}
