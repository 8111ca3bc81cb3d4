// The clinic's models. `sequelize.sync()` creates the tables from them
// (examples/sequelize-clinic/run calls `node src/app.js --sync`), as many
// Sequelize applications do: every belongsTo gets a foreign key, and only the
// indexes listed here get an index (Sequelize never indexes a foreign key).
const { DataTypes } = require("sequelize");

function defineModels(sequelize) {
  const common = { underscored: true };
  const Specialty = sequelize.define(
    "Specialty",
    { name: { type: DataTypes.STRING, allowNull: false } },
    { ...common, tableName: "specialties", timestamps: false },
  );
  const Doctor = sequelize.define(
    "Doctor",
    { name: { type: DataTypes.STRING, allowNull: false } },
    { ...common, tableName: "doctors", indexes: [{ fields: ["specialty_id"] }] },
  );
  const Patient = sequelize.define(
    "Patient",
    {
      // Stored as typed; logins compare lower(email).
      email: { type: DataTypes.STRING, allowNull: false, unique: true },
      name: { type: DataTypes.STRING, allowNull: false },
    },
    { ...common, tableName: "patients" },
  );
  // doctor_id has a foreign key and no index: the schedule's filter on
  // (doctor_id, day) reads the whole table.
  const Appointment = sequelize.define(
    "Appointment",
    {
      day: { type: DataTypes.DATEONLY, allowNull: false },
      slot: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.STRING, allowNull: false, defaultValue: "booked" },
    },
    { ...common, tableName: "appointments", indexes: [{ fields: ["patient_id"] }] },
  );
  const Invoice = sequelize.define(
    "Invoice",
    {
      appointmentId: { type: DataTypes.INTEGER, allowNull: false, unique: true },
      amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false },
    },
    { ...common, tableName: "invoices" },
  );
  // One row per doctor and day, made by findOrCreate: indexed, not unique.
  const DailySlot = sequelize.define(
    "DailySlot",
    {
      day: { type: DataTypes.DATEONLY, allowNull: false },
      capacity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 16 },
      booked: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { ...common, tableName: "daily_slots", indexes: [{ fields: ["doctor_id", "day"] }] },
  );
  // One counter row per doctor and day, found then updated or created: indexed, not unique.
  const DoctorDailyStat = sequelize.define(
    "DoctorDailyStat",
    {
      day: { type: DataTypes.DATEONLY, allowNull: false },
      visits: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { ...common, tableName: "doctor_daily_stats", indexes: [{ fields: ["doctor_id", "day"] }] },
  );
  // Upserted natively: the primary key is the conflict target.
  const PatientPreference = sequelize.define(
    "PatientPreference",
    {
      patientId: { type: DataTypes.INTEGER, primaryKey: true },
      channel: { type: DataTypes.STRING, allowNull: false },
    },
    { ...common, tableName: "patient_preferences" },
  );
  // The worker's queue: 'queued' is a few hundred rows of 400,000; no index but the key.
  const Job = sequelize.define(
    "Job",
    {
      kind: { type: DataTypes.STRING, allowNull: false },
      status: { type: DataTypes.STRING, allowNull: false, defaultValue: "queued" },
      runAt: { type: DataTypes.DATE, allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { ...common, tableName: "jobs" },
  );

  Doctor.belongsTo(Specialty, { foreignKey: { name: "specialtyId", allowNull: false } });
  Appointment.belongsTo(Doctor, { foreignKey: { name: "doctorId", allowNull: false } });
  Appointment.belongsTo(Patient, { foreignKey: { name: "patientId", allowNull: false } });
  Patient.hasMany(Appointment, { as: "appointments", foreignKey: { name: "patientId", allowNull: false } });
  Invoice.belongsTo(Appointment, { foreignKey: { name: "appointmentId", allowNull: false } });
  DailySlot.belongsTo(Doctor, { foreignKey: { name: "doctorId", allowNull: false } });
  DoctorDailyStat.belongsTo(Doctor, { foreignKey: { name: "doctorId", allowNull: false } });
  PatientPreference.belongsTo(Patient, { foreignKey: { name: "patientId", allowNull: false } });

  return { Specialty, Doctor, Patient, Appointment, Invoice, DailySlot, DoctorDailyStat, PatientPreference, Job };
}

module.exports = { defineModels };
