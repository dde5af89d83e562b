package io.github.mediclip.zoo;

import ai.djl.Application;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * DJL model zoo for MediCLIP detector bundles: group id {@value #GROUP_ID}, one artifact {@value
 * #ARTIFACT_ID} whose bundle folder (or zip) is given with {@code optArgument("bundle", path)}:
 *
 * <pre>{@code
 * Criteria<Image, Prediction> criteria = Criteria.builder()
 *     .setTypes(Image.class, Prediction.class)
 *     .optGroupId(MediClipModelZoo.GROUP_ID)
 *     .optArtifactId(MediClipModelZoo.ARTIFACT_ID)
 *     .optArgument("bundle", bundleDir)        // required
 *     .optArgument("backbone", backboneDir)    // optional, overrides the manifest
 *     .build();
 * }</pre>
 *
 * <p>A bundle folder also loads without the zoo, through its {@code serving.properties}: {@code
 * Criteria.builder().setTypes(Image.class, Prediction.class).optModelPath(bundleDir)}.
 */
public final class MediClipModelZoo extends ModelZoo {

  /** The zoo's group id. */
  public static final String GROUP_ID = "io.github.mediclip";

  /** The artifact id of a detector bundle. */
  public static final String ARTIFACT_ID = "detector";

  /** Creates the zoo with its one loader. */
  public MediClipModelZoo() {
    addModel(new BundleLoader());
  }

  @Override
  public String getGroupId() {
    return GROUP_ID;
  }

  @Override
  public Set<String> getSupportedEngines() {
    return Set.of("PyTorch");
  }

  /** Loads the bundle named by the {@code bundle} argument. */
  static final class BundleLoader implements ModelLoader {

    @Override
    public String getGroupId() {
      return GROUP_ID;
    }

    @Override
    public String getArtifactId() {
      return ARTIFACT_ID;
    }

    @Override
    public Application getApplication() {
      return Application.UNDEFINED;
    }

    @Override
    public MRL getMrl() {
      return MRL.undefined(
          Repository.newInstance("mediclip", Path.of(System.getProperty("java.io.tmpdir"))),
          GROUP_ID,
          ARTIFACT_ID);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
        throws IOException, ModelNotFoundException, MalformedModelException {
      Map<String, Object> args = criteria.getArguments();
      Object b = args.get("bundle");
      if (b == null) {
        throw new ModelNotFoundException(
            "MediCLIP zoo: pass the bundle folder with optArgument(\"bundle\", path)");
      }
      Path bundle = Path.of(b.toString());
      if (!Files.exists(bundle)) {
        throw new ModelNotFoundException("MediCLIP zoo: bundle " + bundle + " does not exist");
      }
      Device device = criteria.getDevice();
      Model model = Model.newInstance("mediclip-detector", device, "PyTorch");
      try {
        model.setBlock(new MediClipBlockFactory().newBlock(model, bundle, args));
        TranslatorFactory f = criteria.getTranslatorFactory();
        if (f == null || !f.isSupported(criteria.getInputClass(), criteria.getOutputClass())) {
          f = new MediClipTranslatorFactory();
        }
        Translator<I, O> t =
            f.newInstance(criteria.getInputClass(), criteria.getOutputClass(), model, args);
        return new ZooModel<>(model, t);
      } catch (TranslateException | RuntimeException e) {
        model.close();
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new ModelNotFoundException("MediCLIP zoo: " + e.getMessage(), e);
      }
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
      return true;
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
      // bundles are local folders: nothing to download
    }

    @Override
    public String toString() {
      return GROUP_ID + ":" + ARTIFACT_ID;
    }
  }
}
