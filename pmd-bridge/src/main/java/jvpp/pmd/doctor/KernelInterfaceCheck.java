package jvpp.pmd.doctor;

import java.util.List;

/**
 * The kernel interfaces the config reads through the kernel (the {@code iface=} of af_packet, af_xdp... vdevs;
 * not net_tap's, which creates its own): present, and UP.
 *
 * <p>Stateless. Thread: any.
 */
final class KernelInterfaceCheck implements DoctorCheck
{
    @Override
    public void check(final Inspection ins, final List<Finding> out)
    {
        final DoctorRequest req = ins.request();
        for (final String name : req.kernelInterfaces())
        {
            final NetInterface ifc = ins.host().netInterface(name);
            final String user = userOf(req, name);
            if (ifc == null)
            {
                out.add(Finding.error(name + ": no such kernel interface (" + user + " needs it)", "ip -br link show"));
            }
            else if (ifc.isUp())
            {
                out.add(Finding.ok(name + " is UP (" + user + " reads it through the kernel)"));
            }
            else
            {
                out.add(Finding.warn(name + " is DOWN: " + user + " will see no packets", "ip link set " + name + " up"));
            }
        }
    }

    private static String userOf(final DoctorRequest req, final String name)
    {
        for (final DoctorRequest.Vdev v : req.parsedVdevs())
        {
            if (name.equals(v.iface()))
            {
                return v.name();
            }
        }
        return "the config";
    }
}
