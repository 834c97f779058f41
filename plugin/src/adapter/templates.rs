//! `templates`: validate, render, preview, select and import message templates.

use super::Plugin;
use super::exports::helpdesk::whatsapp::{templates as wtp, types as wt};
use crate::templates::import::{ImportRequest, ImportedTemplate};
use crate::templates::model as tm;

impl wtp::Guest for Plugin {
    fn validate_template(template: wtp::Template) -> Vec<wtp::TemplateProblem> {
        super::free_after_return(wtp::__post_return_validate_template::<Plugin>);
        crate::templates::validate::validate(&template.into()).into_iter().map(Into::into).collect()
    }

    fn render(
        template: wtp::Template,
        values: wtp::TemplateValues,
        target: wt::Provider,
    ) -> Result<wtp::Rendered, Vec<wtp::TemplateProblem>> {
        super::free_after_return(wtp::__post_return_render::<Plugin>);
        crate::templates::render::render(&template.into(), &values.into(), target.into())
            .map(Into::into)
            .map_err(|problems| problems.into_iter().map(Into::into).collect())
    }

    fn preview(template: wtp::Template, values: wtp::TemplateValues) -> wtp::Draft {
        super::free_after_return(wtp::__post_return_preview::<Plugin>);
        crate::templates::draft::preview(&template.into(), &values.into()).into()
    }

    fn check_draft(template: wtp::Template, edited: String) -> Result<wtp::TemplateValues, wtp::DraftChanged> {
        super::free_after_return(wtp::__post_return_check_draft::<Plugin>);
        crate::templates::draft::check_draft(&template.into(), &edited).map(Into::into).map_err(Into::into)
    }

    fn select(
        approved: Vec<wtp::Template>,
        name: String,
        preferences: Vec<String>,
        fallback_language: Option<String>,
    ) -> Result<wtp::Template, wtp::NoMatch> {
        super::free_after_return(wtp::__post_return_select::<Plugin>);
        let approved: Vec<tm::Template> = approved.into_iter().map(Into::into).collect();
        crate::templates::select::select(&approved, &name, &preferences, fallback_language.as_deref())
            .map(Into::into)
            .map_err(Into::into)
    }

    fn from_provider(
        request: wtp::ImportRequest,
    ) -> Result<Vec<Result<wtp::ImportedTemplate, wt::InvalidInput>>, wt::InvalidInput> {
        super::free_after_return(wtp::__post_return_from_provider::<Plugin>);
        crate::templates::import::from_provider(request.provider.into(), &(&request).into())
            .map(|items| items.into_iter().map(|item| item.map(Into::into).map_err(Into::into)).collect())
            .map_err(Into::into)
    }
}

/// Borrowed, not converted: the core reads the host's JSON text in place.
impl<'a> From<&'a wtp::ImportRequest> for ImportRequest<'a> {
    fn from(r: &'a wtp::ImportRequest) -> Self {
        Self { json: &r.json, twilio_approvals: &r.twilio_approvals, namespace: r.namespace.as_deref() }
    }
}

// ---- both ways: templates go in to be checked and come back out of select and import ----

same_fields!(wtp::Template, tm::Template {
    name, language, category, status, parameter_format, body, footer, twilio_content_sid, namespace
} option { header } list { buttons });
same_fields!(wtp::Header, tm::Header { format, text });
same_fields!(wtp::Button, tm::Button { kind, text, url, phone_number });
same_fields!(wtp::TemplateValues, tm::TemplateValues {} option { header_text, header_media, header_location } list {
    body, buttons
});
same_fields!(wtp::VariableValue, tm::VariableValue { key, value });
same_fields!(wtp::Media, tm::Media { link, id, filename, mime_type });
same_fields!(wtp::HeaderLocation, tm::HeaderLocation { latitude, longitude, name, address });
same_fields!(wtp::ButtonValue, tm::ButtonValue { index, value });
same_fields!(wtp::Rendered, tm::Rendered { provider, payload, text });

same_cases!(wtp::TemplateStatus, tm::TemplateStatus: Approved, Pending, Rejected, Paused, Disabled, InAppeal);
same_cases!(wtp::ParameterFormat, tm::ParameterFormat: Positional, Named);
same_cases!(wtp::HeaderFormat, tm::HeaderFormat: Text, Image, Video, Document, Location);
same_cases!(wtp::ButtonKind, tm::ButtonKind: QuickReply, Url, PhoneNumber, CopyCode, Otp);
same_cases!(wtp::Part, tm::Part: Template, Header, Body, Footer, Button);
same_cases!(wtp::ProblemKind, tm::ProblemKind: Missing, Unexpected, Empty, ForbiddenWhitespace, TooLong, WrongMedia,
    NotApproved, Paused, Disabled, LanguageNotAvailable, Numbering, BadVariableName, MixedFormats, VariablesNotAllowed,
    TooManyButtons, BadButton, MissingProviderId, AmbiguousProviderVariables, WrongCategory);

// ---- core -> WIT ----

into_fields!(tm::TemplateProblem => wtp::TemplateProblem { part, button_index, variable, kind, detail, prevents_meta_error });
into_fields!(tm::Draft => wtp::Draft { text } list { segments });
into_fields!(tm::DraftSlot => wtp::DraftSlot { part, button_index, key, label, value });
into_fields!(tm::DraftChanged => wtp::DraftChanged { position, expected, found });
into_fields!(tm::NoMatch => wtp::NoMatch { available, reason });
into_fields!(ImportedTemplate => wtp::ImportedTemplate { template, notes });

impl From<tm::DraftSegment> for wtp::DraftSegment {
    fn from(s: tm::DraftSegment) -> Self {
        match s {
            tm::DraftSegment::Fixed(text) => wtp::DraftSegment::Fixed(text),
            tm::DraftSegment::Slot(slot) => wtp::DraftSegment::Slot(slot.into()),
        }
    }
}
