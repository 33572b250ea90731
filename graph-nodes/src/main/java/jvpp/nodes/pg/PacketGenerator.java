package jvpp.nodes.pg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.graph.Node;

/**
 * The packet generator (VPP's pg): streams by name and the commands that manage them.
 * {@code packet-generator new} creates a stream disabled; {@code enable-stream} starts it (from zero);
 * a stream that reaches its limit stops by itself. A new stream with the name of an old one replaces it.
 *
 * <p>Thread: main; the data plane reads {@link #streams()}, published copy-on-write.
 */
public final class PacketGenerator
{
    private final Jvpp vpp;
    private final Map<String, PgStream> byName = new LinkedHashMap<>();
    private final Map<Integer, String> names = new java.util.HashMap<>();
    private volatile PgStream[] streams = new PgStream[0];
    private int nextId = 1;

    public PacketGenerator(final Jvpp vpp)
    {
        this.vpp = vpp;
    }

    public void register()
    {
        vpp.graph().register(PgInputNode.registration(this));
        vpp.cli().register("packet-generator new", "Create a packet-generator stream",
            "packet-generator new { name <s> [limit <n>] [rate <pps>] [size <min>-<max>] [interface <if>] "
                + "[tx-interface <if>] [worker <n>] node <node> data { ... } }", in -> {
                final PgStream s = PgStreamParser.parse(in.block("packet-generator new"), nextId, resolver());
                if (s.worker >= vpp.workers())
                {
                    throw new CliException("worker " + s.worker + " does not exist (" + vpp.workers() + " workers)");
                }
                return out -> add(s);
            });
        vpp.cli().register("packet-generator enable-stream", "Start streams (all when no name is given)",
            "packet-generator enable-stream [<name>]", in -> {
                final List<PgStream> which = select(in);
                return out -> enable(which, true);
            });
        vpp.cli().register("packet-generator disable-stream", "Stop streams (all when no name is given)",
            "packet-generator disable-stream [<name>]", in -> {
                final List<PgStream> which = select(in);
                return out -> enable(which, false);
            });
        vpp.cli().register("packet-generator delete", "Delete a stream", "packet-generator delete <name>", in -> {
            final String name = in.next("stream name");
            final PgStream s = byName.get(name);
            if (s == null)
            {
                throw new CliException("no such stream `" + name + "'");
            }
            return out -> remove(s);
        });
        vpp.cli().register("show packet-generator", "Show packet-generator streams", "show packet-generator", in -> out -> {
            out.printf("%20s%10s%20s     %s%n", "Name", "Enabled", "Count", "Parameters");
            for (final PgStream s : byName.values())
            {
                out.printf("%20s%10s%20d     %s%n", s.name, s.enabled ? "Yes" : "No", s.sent, s.description);
            }
        });
    }

    private PgStreamParser.Resolver resolver()
    {
        return new PgStreamParser.Resolver()
        {
            @Override
            public int interfaceIndex(final String name)
            {
                final var ifc = vpp.interfaces().get(name);
                return ifc == null ? -1 : ifc.swIfIndex();
            }

            @Override
            public boolean nodeExists(final String name)
            {
                return vpp.graph().index(name) >= 0;
            }

            @Override
            public int maxPacketSize()
            {
                return vpp.arena().dataSize();
            }
        };
    }

    private List<PgStream> select(final CliInput in) throws CliException
    {
        if (in.atEnd())
        {
            return new ArrayList<>(byName.values());
        }
        final String name = in.next("stream name");
        final PgStream s = byName.get(name);
        if (s == null)
        {
            throw new CliException("no such stream `" + name + "'");
        }
        return List.of(s);
    }

    /** Add a stream, replacing one of the same name. */
    public void add(final PgStream s)
    {
        final PgStream old = byName.get(s.name);
        if (old != null)
        {
            remove(old);
        }
        s.arc = vpp.graph().addNext(PgInputNode.NAME, s.node);
        s.thread = s.worker >= 0 ? s.worker + 1 : vpp.workers() > 0 ? 1 : 0;
        nextId = Math.max(nextId, s.id) + 1;
        byName.put(s.name, s);
        names.put(s.id, s.name);
        publish();
    }

    public void remove(final PgStream s)
    {
        s.enabled = false;
        byName.remove(s.name);
        publish();
    }

    /** Enable or disable streams; enabling restarts a stream's count. */
    public void enable(final List<PgStream> which, final boolean on)
    {
        for (final PgStream s : which)
        {
            if (on)
            {
                s.sent = 0;
                s.tokens = 0;
                s.lastNanos = 0;
            }
            s.enabled = on;
        }
        vpp.syncThreads();
        for (final PgStream s : which)
        {
            final Node input = vpp.dispatchers().get(s.thread).node(PgInputNode.NAME);
            if (input != null && on)
            {
                input.polling(true);
            }
        }
    }

    public PgStream stream(final String name)
    {
        return byName.get(name);
    }

    PgStream[] streams()
    {
        return streams;
    }

    String streamName(final int id)
    {
        return names.getOrDefault(id, "?");
    }

    private void publish()
    {
        streams = byName.values().toArray(new PgStream[0]);
    }
}
