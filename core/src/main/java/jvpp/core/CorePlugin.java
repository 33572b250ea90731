package jvpp.core;

import jvpp.core.buffer.BufferCommands;
import jvpp.core.cli.BuiltinCommands;
import jvpp.core.graph.ErrorCommands;
import jvpp.core.graph.ErrorDropNode;
import jvpp.core.graph.GraphCommands;
import jvpp.core.graph.RuntimeCommands;
import jvpp.core.iface.InterfaceCommands;
import jvpp.core.log.LogCommands;
import jvpp.core.thread.ThreadCommands;
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
        InterfaceCommands.register(vpp);
    }
}
