package io.github.captum4j.core.model;

import io.github.captum4j.core.model.ModelSpec.Arg;
import io.github.captum4j.core.model.ModelSpec.ArgKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward signature checks of an imported model: the JSON's inputs must be those of the
 * recognised family (Captum's test models) or a single tensor (chains). Errors name the model, the
 * family's signature and the JSON's inputs. Not API.
 */
final class ModelSignatures {

    private final ModelSpec spec;

    ModelSignatures(ModelSpec spec) {
        this.spec = spec;
    }

    String singleTensorInput() {
        List<Arg> args = spec.args();
        if (args.size() != 1 || args.get(0).kind() != ArgKind.TENSOR) {
            throw new IllegalArgumentException(
                    "model '"
                            + spec.id()
                            + "': a chain model must take exactly one tensor input, got inputs "
                            + argNames()
                            + "; "
                            + ModelBuilder.SUPPORTED);
        }
        return args.get(0).name();
    }

    void expectArgs(String family, String signature, ArgKind... kinds) {
        List<Arg> args = spec.args();
        if (args.size() != kinds.length) {
            throw signatureMismatch(family, signature);
        }
        for (int i = 0; i < kinds.length; i++) {
            if (args.get(i).kind() != kinds[i] || args.get(i).optional()) {
                throw signatureMismatch(family, signature);
            }
        }
    }

    void checkMultiLayerArgs() {
        String family = MultiLayerModule.TYPE;
        String signature = "(x, add_input=None, multidim_output=False)";
        List<Arg> args = spec.args();
        if (args.isEmpty()
                || args.size() > 3
                || args.get(0).kind() != ArgKind.TENSOR
                || args.get(0).optional()) {
            throw signatureMismatch(family, signature);
        }
        int i = 1;
        if (i < args.size() && args.get(i).name().equals(MultiLayerModule.ADD_INPUT)) {
            if (args.get(i).kind() != ArgKind.TENSOR || !args.get(i).optional()) {
                throw signatureMismatch(family, signature);
            }
            i++;
        }
        if (i < args.size() && args.get(i).name().equals(MultiLayerModule.MULTIDIM_OUTPUT)) {
            if (args.get(i).kind() != ArgKind.BOOL || !args.get(i).optional()) {
                throw signatureMismatch(family, signature);
            }
            i++;
        }
        if (i != args.size()) {
            throw signatureMismatch(family, signature);
        }
    }

    IllegalArgumentException signatureMismatch(String family, String signature) {
        return new IllegalArgumentException(
                "model '"
                        + spec.id()
                        + "' has the modules of Captum's "
                        + family
                        + ", whose forward is "
                        + signature
                        + ", but its JSON inputs are "
                        + argNames());
    }

    List<String> argNames() {
        List<String> names = new ArrayList<>();
        for (Arg a : spec.args()) {
            names.add(a.name() + ":" + a.kind().name().toLowerCase() + (a.optional() ? "?" : ""));
        }
        return names;
    }
}
