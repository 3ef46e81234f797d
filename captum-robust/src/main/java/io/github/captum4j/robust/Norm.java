package io.github.captum4j.robust;

/** The norm of {@link PGD}'s perturbation ball (Captum's {@code norm}: {@code "Linf"} | {@code "L2"}). */
public enum Norm {
    /** \( \|\delta\|_\infty \le r \): each element's change clamped to \( [-r, r] \). */
    LINF,
    /**
     * \( \|\delta\|_2 \le r \) per example: a longer change is rescaled by \( r / (\|\delta\|_2 +
     * 10^{-7}) \) ({@code torch.renorm}).
     */
    L2
}
