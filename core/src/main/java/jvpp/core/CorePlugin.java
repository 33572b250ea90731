package jvpp.core;

import jvpp.core.cli.CoreCommands;
import jvpp.core.graph.ErrorDropNode;

/** Registers core's commands and the error-drop node. */
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
        CoreCommands.register(vpp);
    }
}
