import type { types as slack } from '@slack/bolt';
import type { EditPart } from '../../domain/spec-part-commands';
import type { SpecView } from '../../services/spec-views';
import { draftFromSpec } from './draft';
import { buildMustHavesModal, mustHavesDraftOf } from './must-haves-modal';
import { buildSettingsModal } from './settings-modal';
import { buildEditModal } from './view';

/** The modal for one part of a spec, opened on its current version. */
export function buildPartModal(spec: SpecView, part: EditPart, responseUrl?: string): slack.ModalView {
  const base = { specId: spec.id, slug: spec.slug, baseVersion: spec.version.number, ...(responseUrl ? { responseUrl } : {}) };
  switch (part) {
    case 'competencies':
      return buildEditModal({ ...base, draft: draftFromSpec(spec) });
    case 'mustHaves':
      return buildMustHavesModal({ ...base, draft: mustHavesDraftOf(spec.content.mustHaves) });
    case 'settings':
      return buildSettingsModal({ ...base, content: spec.content });
  }
}
