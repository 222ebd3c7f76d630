import { registerEnumType } from 'type-graphql';

export enum AppointmentChannel {
  IN_PERSON = 'IN_PERSON',
  TELEPHONE = 'TELEPHONE',
  VIDEO = 'VIDEO',
}
registerEnumType(AppointmentChannel, {
  name: 'AppointmentChannel',
  description: 'How a first appointment is held.',
  valuesConfig: {
    IN_PERSON: { description: 'Face to face, at the place named.' },
    TELEPHONE: { description: 'By telephone.' },
    VIDEO: { description: 'By video call.' },
  },
});

export enum FirstAppointmentOutcome {
  ATTENDED = 'ATTENDED',
  DID_NOT_ATTEND = 'DID_NOT_ATTEND',
  RESCHEDULED = 'RESCHEDULED',
}
registerEnumType(FirstAppointmentOutcome, {
  name: 'FirstAppointmentOutcome',
  description: 'What became of a first appointment.',
  valuesConfig: {
    ATTENDED: { description: 'The participant came: attachment may follow.' },
    DID_NOT_ATTEND: { description: 'The participant did not come: the referring Jobcentre hears of it (FIRST_APPOINTMENT_MISSED), and attachment waits for a later attended appointment.' },
    RESCHEDULED: { description: 'Moved to another time before it happened: `rescheduledTo` is the new booking.' },
  },
});
