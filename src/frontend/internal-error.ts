/** The generic message every unexpected error gets on any wire; the error itself goes to the log. */
export const INTERNAL_MESSAGE = 'Internal error';
