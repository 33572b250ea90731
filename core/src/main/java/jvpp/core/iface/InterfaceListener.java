package jvpp.core.iface;

/**
 * Told about interface changes (VPP's sw-interface add/del and admin up/down functions): protocol
 * layers keep their per-interface state in step through this. Thread: main.
 */
public interface InterfaceListener
{
    default void interfaceAdded(final Interface ifc)
    {
    }

    default void interfaceDeleted(final Interface ifc)
    {
    }

    default void adminStateChanged(final Interface ifc, final boolean up)
    {
    }
}
