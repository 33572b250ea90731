package jvpp.pmd.doctor;

import java.util.List;

/**
 * mlx4/mlx5: DPDK's PMDs are bifurcated, so the device needs no binding; it must stay on {@code mlx5_core} /
 * {@code mlx4_core}, with the InfiniBand module ({@code mlx5_ib} / {@code mlx4_ib}) loaded for the verbs.
 *
 * <p>Stateless. Thread: any.
 */
final class MellanoxCheck implements DeviceCheck
{
    @Override
    public boolean takes(final PciDevice device)
    {
        return PciIds.isMellanox(device);
    }

    @Override
    public void check(final Inspection ins, final Inspection.Target target, final List<Finding> out)
    {
        final HostView host = ins.host();
        final Severity gap = ins.gap();
        final PciDevice d = target.device();
        final String driver = PciIds.mellanoxDriver(d);
        final boolean mlx4 = driver.startsWith("mlx4");
        final String pmd = mlx4 ? "mlx4" : "mlx5";
        final String load = mlx4 ? "modprobe -a mlx4_core mlx4_en mlx4_ib" : "modprobe -a mlx5_core mlx5_ib";
        final String ib = mlx4 ? "mlx4_ib" : "mlx5_ib";
        if (driver.equals(d.driver()))
        {
            out.add(Finding.ok(d.label() + " is bifurcated: DPDK's " + pmd + " PMD runs beside " + driver
                + ", no binding needed"));
            if (!host.moduleLoaded(ib))
            {
                out.add(new Finding(gap, ib + " is not loaded: the " + pmd + " PMD reaches " + d.bdf()
                    + " through its verbs", load));
            }
            return;
        }
        if (d.driver() == null)
        {
            out.add(new Finding(gap, d.label() + " has no driver: the " + pmd + " PMD is bifurcated and needs " + driver
                + " bound", host.moduleLoaded(driver) ? "dpdk-devbind.py -b " + driver + " " + d.bdf() : load));
            return;
        }
        out.add(new Finding(gap, d.label() + " is bound to " + d.driver() + ": the " + pmd
            + " PMD is bifurcated and needs " + driver + ", not a uio/vfio driver",
            "dpdk-devbind.py -b " + driver + " " + d.bdf()));
    }
}
