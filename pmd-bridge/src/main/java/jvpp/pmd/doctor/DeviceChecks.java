package jvpp.pmd.doctor;

import java.util.List;

/**
 * The PCI devices, one after the other: a missing one (maybe a VF not enabled yet, {@link SriovCheck}), one that
 * is no network controller, then the first {@link DeviceCheck} that takes the device (MANA, mlx4/mlx5, else a
 * uio/vfio binding), then a PF's VF counts.
 *
 * <p>Stateless. Thread: any.
 */
final class DeviceChecks implements DoctorCheck
{
    private final List<DeviceCheck> byKind;

    /** {@code byKind}: the device checks, most specific first; the last should take every device. */
    DeviceChecks(final List<DeviceCheck> byKind)
    {
        this.byKind = List.copyOf(byKind);
    }

    @Override
    public void check(final Inspection ins, final List<Finding> out)
    {
        for (final Inspection.Target t : ins.targets())
        {
            final PciDevice d = t.device();
            if (d == null)
            {
                SriovCheck.missing(ins.host(), t.bdf(), out);
                continue;
            }
            if (!d.isNetwork())
            {
                out.add(Finding.warn(t.bdf() + " is not a network controller (class 0x" + d.pciClass() + ")", null));
            }
            for (final DeviceCheck c : byKind)
            {
                if (c.takes(d))
                {
                    c.check(ins, t, out);
                    break;
                }
            }
            SriovCheck.physicalFunction(d, out);
        }
    }
}
