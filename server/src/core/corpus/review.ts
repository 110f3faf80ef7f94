/**
 * A document's review status, kept in its sidecar (`"review": {"status",
 * "modified"}`): `todo` until the first decision, `in-progress` after it,
 * `done` when the user marks the document reviewed. A sidecar written before
 * the field existed, or one whose field is not understood, reads as `todo`.
 */
import { REVIEW_STATUSES, type ReviewState, type ReviewStatus, type Sidecar } from '../../protocol';

export function reviewStatusOf(s: Pick<Sidecar, 'review'> | null | undefined): ReviewStatus {
  const status = s?.review?.status;
  return typeof status === 'string' && (REVIEW_STATUSES as readonly string[]).includes(status) ? status : 'todo';
}

/** The state after a decision on the document: a first decision starts the review; a done document stays done. */
export function afterDecision(current: ReviewState | undefined, now: Date = new Date()): ReviewState {
  const status = reviewStatusOf({ review: current });
  if (status === 'todo') return { status: 'in-progress', modified: now.toISOString() };
  return current as ReviewState;
}

export function reviewState(status: ReviewStatus, now: Date = new Date()): ReviewState {
  return { status, modified: now.toISOString() };
}
