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

    /** Register both commands reading this machine ({@code "/"}). */
    public static void register(final Jvpp vpp)
    {
        register(vpp, HostView.DEFAULT_ROOT);
    }

    /** Register both commands reading the machine under {@code sysRoot} (a fixture tree in tests). */
    public static void register(final Jvpp vpp, final String sysRoot)
    {
        final HostView host = new HostView(sysRoot);
        vpp.cli().register("show pci", "Network devices and their drivers (like dpdk-devbind.py --status)", "show pci",
            in -> out -> out.print(Doctor.deviceTable(host)));
        vpp.cli().register("show dpdk preflight", "What stops DPDK from starting with this config, and the fixes",
            "show dpdk preflight", in -> out -> {
                final List<Finding> findings = Doctor.check(host, request(vpp));
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
