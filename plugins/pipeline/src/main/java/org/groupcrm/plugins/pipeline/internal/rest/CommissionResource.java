package org.groupcrm.plugins.pipeline.internal.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.plugins.pipeline.internal.CommissionRateDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /pipeline/commission}: the commission of reps for a period, paid only on sales orders entered in the CRM.
 * The rates are at {@code /pipeline/commission-rates} ({@link Rates}).
 */
@Component(service = CommissionResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PipelineApplication.SELECT)
@Path("commission")
@Produces(MediaType.APPLICATION_JSON)
public class CommissionResource {

    @Reference
    CommissionService commission;

    /**
     * Commission of the orders dated {@code from}–{@code to} (ISO dates, both inclusive): of {@code rep} (a rep may
     * only ask for themselves, which is also the default for them), or of every rep when a manager leaves it out.
     */
    @GET
    public CommissionReportDTO report(@Context SecurityContext sc, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("rep") String rep) {
        return commission.report(CallerContext.of(sc.getUserPrincipal()), Params.date("from", from), Params.date("to", to),
                Params.text("rep", rep));
    }

    /** {@code /pipeline/commission-rates}: the subsidiary's commission rates. */
    @Component(service = Rates.class)
    @JaxrsResource
    @JaxrsApplicationSelect(PipelineApplication.SELECT)
    @Path("commission-rates")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Rates {

        @Reference
        CommissionService commission;

        /** The rates: the default (without product line) first, then by product line. */
        @GET
        public List<CommissionRateDTO> list(@Context SecurityContext sc) {
            return commission.rates(CallerContext.of(sc.getUserPrincipal()));
        }

        /**
         * Replaces the rates (the MODIFY right over commission: managers and finance by default); one without product
         * line is the default and required.
         */
        @PUT
        @Consumes(MediaType.APPLICATION_JSON)
        public List<CommissionRateDTO> replace(@Context SecurityContext sc, List<CommissionRateDTO> body) {
            return commission.replaceRates(CallerContext.of(sc.getUserPrincipal()), body);
        }
    }
}
