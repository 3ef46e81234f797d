package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.concept.Concept;
import io.github.captum4j.concept.MeanDifferenceClassifier;
import io.github.captum4j.concept.TCAV;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * On the demo's shapes CNN, a concept drawn from a class's own deciding shape scores above random
 * concepts (random task images) with p &lt; 0.05 for that class.
 */
class TcavDemoTest {

    @TempDir Path dir;

    @Test
    void eachClassesOwnShapeBeatsRandomTextures() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path json = ShapesTrained.train(dir, manager);
            ShapesTask test = ShapesTask.generate(90, ShapesTrained.SEED + 2, manager);
            try (ImportedModel model = ImportedModel.load(json, manager)) {
                List<Concept> randoms = new ArrayList<>();
                for (int r = 0; r < 6; r++) {
                    randoms.add(TcavDemo.randomTaskImages(r, 30, manager));
                }
                TCAV tcav =
                        new TCAV(model, List.of(LayerPath.of("fc1")),
                                TCAV.Options.builder("shapes").classifier(new MeanDifferenceClassifier()).build());
                String[] shapes = {"squares", "plus signs", "rings"};
                for (int c = 0; c < 3; c++) {
                    Concept own = new Concept(c, shapes[c], List.of(TcavDemo.draw(shapes[c], 30, 10 + c, manager)));
                    TCAV.Significance s =
                            tcav.significance(Inputs.of(TcavDemo.ofClass(test, c, 30, manager)), Target.index(c), own, randoms, TCAV.ScoreType.MAGNITUDE)
                                    .get("fc1");
                    double concept = Arrays.stream(s.conceptScores()).average().orElseThrow();
                    double random = Arrays.stream(s.randomScores()).average().orElseThrow();
                    assertThat(concept).as("class %s", c).isGreaterThan(random);
                    assertThat(s.pValue()).as("class %s", c).isLessThan(0.05);
                }
            }
        }
    }
}
