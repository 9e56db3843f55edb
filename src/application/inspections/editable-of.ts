import type { Editable } from '../../domain/inspection/change-log.js';
import type { Inspection } from '../../domain/inspection/inspection.js';

/** The fields of an inspection that review edits (change-log entries) may change. */
export const editableOf = (i: Inspection): Editable => ({
  plateNumber: i.plateNumber,
  inspectionDate: i.inspectionDate,
  overallRating: i.overallRating,
  identityDetails: i.identityDetails,
  vehicleData: i.vehicleData,
  equipmentChecklist: i.equipmentChecklist,
  inspectionSummary: i.inspectionSummary,
  detailedAssessment: i.detailedAssessment,
  bodyPaintThickness: i.bodyPaintThickness,
  notesFontSizes: i.notesFontSizes,
});
