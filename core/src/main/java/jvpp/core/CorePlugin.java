package jvpp.core;

import jvpp.core.cli.CoreCommands;

/** Registers core's commands. */
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
        CoreCommands.register(vpp);
    }
}
