import { html, type ObjectContext, type TemplateExtension } from '@plinth/plugin-sdk';

const OUTCOME_TEXT: Record<string, [string, string]> = {
  succeeded: ['success', 'Re-sent: the receiver accepted it.'],
  failed: ['danger', 'Re-sent: the delivery failed again (see the response and error).'],
};

/** The delivery page: the request body as sent, and a Re-send button for users who may change webhooks. */
export const webhookDeliveryPage: TemplateExtension = {
  model: 'extras.webhookdelivery',
  async full_width_page(ctx: ObjectContext) {
    const resent = OUTCOME_TEXT[ctx.query.resent?.[0] ?? ''];
    const mayResend = await ctx.can('change', 'extras.webhook');
    return {
      title: 'Request',
      body: html`${resent ? html`<div class="alert alert-${resent[0]} webhook-resent">${resent[1]}</div>` : ''}
        <pre class="webhook-payload mb-2">${String(ctx.object.payload ?? '')}</pre>
        ${
          mayResend
            ? html`<form method="post" action="/extras/webhook-deliveries/${String(ctx.object.id)}/resend/">
                <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
                <button type="submit" class="btn btn-sm btn-warning webhook-resend">Re-send</button>
              </form>`
            : ''
        }`,
    };
  },
};
