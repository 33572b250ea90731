package jvpp.core;

import java.util.List;

import jvpp.core.buffer.BufferCommands;
import jvpp.core.buffer.BuffersSection;
import jvpp.core.cli.BuiltinCommands;
import jvpp.core.config.ConfigSection;
import jvpp.core.graph.ErrorCommands;
import jvpp.core.graph.ErrorDropNode;
import jvpp.core.graph.GraphCommands;
import jvpp.core.graph.RuntimeCommands;
import jvpp.core.iface.InterfaceCommands;
import jvpp.core.log.LogCommands;
import jvpp.core.thread.CpuSection;
import jvpp.core.thread.ThreadCommands;
import jvpp.core.pcap.PcapCommands;
import jvpp.core.trace.TraceCommands;

/**
 * Registers the error-drop and handoff-input nodes and core's commands, each group of which lives beside the code
 * it drives.
 */
public final class CorePlugin implements Plugin
{
    @Override
    public String name()
    {
        return "core";
    }

    @Override
    public int order()
    {
        return 0;
    }

    /** {@code cpu { }} and {@code buffers { }}: they set core's {@link Jvpp.Context}. */
    @Override
    public List<ConfigSection> configSections()
    {
        return List.of(new CpuSection(), new BuffersSection());
    }

    @Override
    public void init(final Jvpp vpp)
    {
        vpp.graph().register(ErrorDropNode.registration(vpp));
        vpp.graph().register(jvpp.core.graph.HandoffInputNode.registration(vpp.handoffRings()));
        BuiltinCommands.register(vpp);
        LogCommands.register(vpp);
        ThreadCommands.register(vpp);
        BufferCommands.register(vpp);
        RuntimeCommands.register(vpp);
        ErrorCommands.register(vpp);
        GraphCommands.register(vpp);
        TraceCommands.register(vpp);
        PcapCommands.register(vpp);
        InterfaceCommands.register(vpp);
    }
}
