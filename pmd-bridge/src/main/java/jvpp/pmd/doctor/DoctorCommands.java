package jvpp.pmd.doctor;

import java.util.List;

import jvpp.core.Jvpp;

/**
 * {@code show pci} (the network devices and their drivers, as {@code dpdk-devbind.py --status} prints them)
 * and {@code show dpdk preflight} (the doctor's findings for the running configuration: the
 * {@link DoctorRequest} service when one is registered, else an empty request, which surveys the machine).
 *
 * <p>Thread: registration at boot; the commands run on main and only read {@code /sys} and {@code /proc}.
 */
public final class DoctorCommands
{
    private DoctorCommands()
    {
    }

    /**
     * Register both commands reading this machine ({@code "/"}); when they are registered already (the plugin does it
     * at boot), only point them back at it.
     */
    public static void register(final Jvpp vpp)
    {
        readFrom(vpp, HostView.DEFAULT_ROOT);
    }

    /** Which machine the commands read: {@code "/"}, or a fixture tree in tests. Thread: main. */
    public static final class Root
    {
        private volatile HostView host;

        Root(final String sysRoot)
        {
            this.host = new HostView(sysRoot);
        }

        /** Read the machine under {@code sysRoot} from now on. */
        public void set(final String sysRoot)
        {
            host = new HostView(sysRoot);
        }

        HostView host()
        {
            return host;
        }
    }

    /**
     * Point both commands at the machine under {@code sysRoot} (a fixture tree in tests), registering them first
     * when they are not registered yet.
     */
    public static void readFrom(final Jvpp vpp, final String sysRoot)
    {
        if (vpp.cli().has("show pci"))
        {
            vpp.service(Root.class).set(sysRoot);
            return;
        }
        final Root root = new Root(sysRoot);
        vpp.registerService(Root.class, root);
        vpp.cli().register("show pci", "Network devices and their drivers (like dpdk-devbind.py --status)", "show pci",
            in -> out -> out.print(DeviceTable.format(root.host())));
        vpp.cli().register("show dpdk preflight", "What stops DPDK from starting with this config, and the fixes",
            "show dpdk preflight", in -> out -> {
                final List<Finding> findings = Doctor.check(root.host(), request(vpp));
                for (final Finding f : findings)
                {
                    out.println(f.line());
                }
            });
    }

    private static DoctorRequest request(final Jvpp vpp)
    {
        try
        {
            return vpp.service(DoctorRequest.class);
        }
        catch (final IllegalStateException ex)
        {
            return DoctorRequest.empty();
        }
    }
}
