package org.groupcrm.plugins.pipeline.internal;

import java.util.List;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The subsidiary's stages as the REST edge needs them: reading them needs the QUERY right over
 * {@link PipelineModule#STAGE}, replacing them MODIFY; the reference process is the product's and open to every user.
 */
@Component(service = StageService.class)
public class StageService {

    @Reference
    PipelineModule module;

    @Reference
    RightsService rights;

    public List<StageDTO> list(CallerContext caller) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.STAGE, Right.QUERY);
        return module.db().read((c, e) -> StageRepository.active(c, subsidiary).stream()
                .map(StageRepository.Stage::dto).toList());
    }

    public List<StageDTO> replace(CallerContext caller, List<StageDTO> stages) {
        return StageRepository.replace(module, rights, caller, stages);
    }

    public List<StageDTO> reference() {
        List<StageDTO> result = new java.util.ArrayList<>();
        int position = 1;
        for (StageDTO s : Stages.REFERENCE) {
            StageDTO d = StageDTO.of(s.code, s.name, s.probability, s.outcome);
            d.position = position++;
            d.active = true;
            result.add(d);
        }
        return result;
    }

    public List<StageRepository.Difference> differences(CallerContext caller) {
        return StageRepository.differences(list(caller));
    }
}
