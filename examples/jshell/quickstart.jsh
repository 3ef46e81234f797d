// captum4j quickstart for JShell: Integrated Gradients on Captum's README model, then a heat map.
//
// From the repository root, after `mvn -B -q package -DskipTests`:
//   DNNL_MAX_CPU_ISA=AVX jshell --class-path examples/target/captum4j-cli.jar -R-Dai.djl.offline=true \
//       examples/jshell/quickstart.jsh
// Properties (give them with -R-D...): captum4j.fixtures (default src-test-resources),
// captum4j.out (default examples/target/quickstart-heatmap.png, or the temp folder without it).

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.Figure;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.ImageVisualizationMethod;
import io.github.captum4j.viz.VisualizeSign;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

Path fixtures = Path.of(System.getProperty("captum4j.fixtures", "src-test-resources"));
Path out = Path.of(System.getProperty("captum4j.out", Files.isDirectory(Path.of("examples", "target")) ? "examples/target/quickstart-heatmap.png" : System.getProperty("java.io.tmpdir") + "/quickstart-heatmap.png"));
NDManager manager = NDManager.newBaseManager();

String format(NDArray a) {
    StringBuilder sb = new StringBuilder("[");
    float[] v = a.toFloatArray();
    for (int i = 0; i < v.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
    }
    return sb.append("]").toString();
}

// 1. Captum's README: Integrated Gradients of class 0 of ToyModel for two inputs.
TorchScriptModel toy = TorchScriptModel.load(fixtures.resolve("models/toy.pt"));
NDArray x = manager.create(new float[] {0.29611194f, 0.5165623f, 0.25167072f, 0.6885568f, 0.07397246f, 0.86652195f}, new Shape(2, 3));
IntegratedGradients ig = new IntegratedGradients(toy);
Attribution attribution = ig.attribute(Inputs.of(x), Target.index(0), IntegratedGradients.Options.builder().returnConvergenceDelta(true).build());
System.out.println("IG attributions: " + format(attribution.attribution(0)));
System.out.println("convergence delta: " + format(attribution.convergenceDelta().orElseThrow()));

// 2. A heat map: Integrated Gradients of the small CNN on a drawn ring ("0").
TorchScriptModel cnn = TorchScriptModel.load(fixtures.resolve("models/small_cnn.pt"));
float[] pixels = new float[28 * 28];
for (int i = 0; i < pixels.length; i++) {
    double r = Math.hypot(i / 28 - 13.5, i % 28 - 13.5);
    pixels[i] = (float) Math.exp(-(r - 8) * (r - 8) / 4);
}
NDArray image = manager.create(pixels, new Shape(1, 1, 28, 28));
int predicted = (int) cnn.forward(new NDList(image), List.of()).argMax(1).getLong();
Attribution heat = new IntegratedGradients(cnn).attribute(Inputs.of(image), Target.index(predicted));
Figure figure = ImageVisualization.visualizeImageAttrMultiple(
        heat.attribution(0), image,
        List.of(ImageVisualizationMethod.ORIGINAL_IMAGE, ImageVisualizationMethod.HEAT_MAP, ImageVisualizationMethod.BLENDED_HEAT_MAP),
        List.of(VisualizeSign.ALL, VisualizeSign.ABSOLUTE_VALUE, VisualizeSign.ALL),
        List.of("Input", "|IG| class " + predicted, "IG over input"),
        new ImageVisualization.FigSize(9, 3.5),
        ImageVisualization.Options.builder().channelLayout(ChannelLayout.CHANNELS_FIRST).showColorbar(true).build());
figure.writePng(out);
System.out.println("predicted class: " + predicted);
System.out.println("wrote " + out + " (" + figure.width() + "x" + figure.height() + ")");

manager.close();
cnn.close();
toy.close();
/exit
